/**
 * Error codes that cross the renderer/main edge. A closed union, so the UI can switch on it;
 * messages are for people and never carry tokens or stacks.
 */
export const errorCodes = [
  'invalid_input',
  'not_found',
  'reauth_required',
  'rate_limited',
  'offline',
  'not_allowed',
  'conflict',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  /** For invalid_input: where the input was wrong (zod paths joined with '.'). */
  issues?: { path: string; message: string }[];
}

/** The envelope every call returns: never a throw across the process edge. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

/** Thrown on the calling side when a call comes back with ok:false. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues: ApiErrorShape['issues'];
  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    this.issues = shape.issues;
  }
}
