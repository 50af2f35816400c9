/**
 * Graph API errors, classified by Meta's code and subcode (never by message text), into what the
 * app should do about them. See meta-platform.md §6.
 */
export type GraphErrorAction =
  /** Token broken or permission gone: mark needs-reconnect, stop retrying with this token. */
  | 'reauth'
  /** A rate limit: wait (usage headers say how long) then retry. */
  | 'rate_limit'
  /** Transient (5xx, codes 1/2, timeouts, network): retry with jittered backoff. */
  | 'retry'
  /** The request itself is wrong or the object is gone: do not retry. */
  | 'fail';

export interface GraphErrorBody {
  message: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
}

const rateLimitCodes = new Set([4, 17, 32, 613]);
const transientCodes = new Set([1, 2]);

export class GraphError extends Error {
  readonly status: number;
  readonly code: number | null;
  readonly subcode: number | null;
  readonly action: GraphErrorAction;
  /** Milliseconds to wait before trying again, from usage headers when Meta gave them. */
  readonly retryAfterMs: number | null;
  readonly fbtraceId: string | null;
  /** Meta's explanation for people (error_user_msg), e.g. which event of a CAPI batch was invalid. */
  readonly userMessage: string | null;

  constructor(opts: {
    status: number;
    body: GraphErrorBody | null;
    retryAfterMs?: number | null;
    message?: string;
  }) {
    super(opts.message ?? opts.body?.message ?? `Graph API HTTP ${opts.status}`);
    this.name = 'GraphError';
    this.status = opts.status;
    this.code = opts.body?.code ?? null;
    this.subcode = opts.body?.error_subcode ?? null;
    this.fbtraceId = opts.body?.fbtrace_id ?? null;
    this.userMessage = opts.body?.error_user_msg ?? null;
    this.retryAfterMs = opts.retryAfterMs ?? null;
    this.action = classify(opts.status, this.code);
  }
}

export function classify(status: number, code: number | null): GraphErrorAction {
  if (code === 190 || code === 102 || code === 10 || (code !== null && code >= 200 && code <= 299)) {
    return 'reauth';
  }
  if (code !== null && (rateLimitCodes.has(code) || (code >= 80000 && code <= 80014))) {
    return 'rate_limit';
  }
  if (status === 429) return 'rate_limit';
  if ((code !== null && transientCodes.has(code)) || status >= 500 || status === 0) return 'retry';
  return 'fail';
}

/** Network failures and timeouts: status 0, always retryable. */
export function networkError(cause: unknown): GraphError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new GraphError({ status: 0, body: null, message: `Graph API unreachable: ${msg}` });
}
