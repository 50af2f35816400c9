/**
 * The checks in front of the single `api:call` IPC channel, kept free of electron so they run
 * under Node tests. The sender must be our window's top frame showing our renderer; the
 * arguments must be (method name, plain-data input) of bounded size. What passes goes to the
 * core's dispatch, which validates the input against the shared zod schema. Nothing throws
 * across the edge: every rejection is an `invalid_input` / `not_allowed` Result.
 */
import type { Dispatch } from '../../core/api/dispatch';
import type { Result } from '../../../shared/errors';

/** What the shell knows about who sent a message (from IpcMainInvokeEvent). */
export interface IpcSender {
  webContentsId: number;
  /** URL of the frame that sent the message; null when the frame is already gone. */
  frameUrl: string | null;
  isMainFrame: boolean;
}

export interface TrustedRenderer {
  webContentsId: number;
  /** The renderer's document, e.g. file:///…/dist/renderer/index.html (query/hash ignored). */
  documentUrl: string;
}

/** Inputs are small JSON-like objects; 256 KiB is far above any real call and bounds abuse. */
export const maxInputBytes = 256 * 1024;

/** null when the sender is our window's top frame on our document, else why not. */
export function senderRejection(sender: IpcSender, trusted: TrustedRenderer): string | null {
  if (sender.webContentsId !== trusted.webContentsId) return 'message from another web contents';
  if (!sender.isMainFrame) return 'message from a subframe';
  if (!sender.frameUrl) return 'sender frame is gone';
  if (stripQueryAndHash(sender.frameUrl) !== stripQueryAndHash(trusted.documentUrl)) {
    return 'message from a page that is not the app';
  }
  return null;
}

/** null when (method, input) have the right shapes to hand to dispatch, else why not. */
export function argumentRejection(args: readonly unknown[]): string | null {
  if (args.length < 1 || args.length > 2)
    return `expected (method, input), got ${args.length} arguments`;
  if (typeof args[0] !== 'string') return 'method name must be a string';
  const input = args[1];
  if (
    input !== undefined &&
    (input === null || typeof input !== 'object' || Array.isArray(input))
  ) {
    return 'input must be an object';
  }
  let size: number;
  try {
    size = JSON.stringify(input ?? {}).length;
  } catch {
    return 'input is not plain data';
  }
  if (size > maxInputBytes) return `input is larger than ${maxInputBytes} bytes`;
  return null;
}

export type ApiCallHandler = (
  sender: IpcSender,
  args: readonly unknown[],
) => Promise<Result<unknown>>;

/**
 * Builds the `api:call` handler body. `trusted()` is read per call because the window (and its
 * webContents id) can be recreated while the app lives in the tray.
 */
export function createApiCallHandler(opts: {
  dispatch: Dispatch;
  trusted: () => TrustedRenderer | null;
  /** False once the app is quitting: new work is refused, work in flight finishes. */
  accepting?: () => boolean;
  onRejected?: (reason: string) => void;
}): ApiCallHandler {
  return async (sender, args) => {
    if (opts.accepting && !opts.accepting()) {
      return { ok: false, error: { code: 'offline', message: 'Lead Inbox is closing.' } };
    }
    const trusted = opts.trusted();
    const senderProblem = trusted ? senderRejection(sender, trusted) : 'no app window';
    if (senderProblem) {
      opts.onRejected?.(senderProblem);
      return {
        ok: false,
        error: { code: 'not_allowed', message: `Call refused: ${senderProblem}.` },
      };
    }
    const argProblem = argumentRejection(args);
    if (argProblem) {
      opts.onRejected?.(argProblem);
      return {
        ok: false,
        error: { code: 'invalid_input', message: `Invalid call: ${argProblem}.` },
      };
    }
    try {
      return await opts.dispatch(args[0], args[1]);
    } catch {
      // dispatch promises never to throw; if it ever does, the renderer still gets an envelope.
      return {
        ok: false,
        error: { code: 'internal', message: 'The call failed; details are in the log.' },
      };
    }
  };
}

/** Compares documents, not encodings: Chromium and pathToFileURL escape file paths differently. */
function stripQueryAndHash(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${decodeURIComponent(u.pathname)}`;
  } catch {
    return url;
  }
}
