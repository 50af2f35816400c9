// ApiError from errors.ts directly: shared/index would pull every zod schema into the bundle, and
// the renderer needs the contract's types only (main validates every call).
import { ApiError } from '../../shared/errors';
import type { EventName, EventPayload, LeadInboxBridge, MethodInput, MethodName, MethodOutput } from '../../shared/index';
import { createHostBridge, hostToken, type SocketState } from './hostTransport';

declare global {
  interface Window {
    leadInbox?: LeadInboxBridge;
  }
}

const stateListeners = new Set<(s: SocketState) => void>();
let socketState: SocketState = 'open';
const setSocketState = (s: SocketState) => {
  socketState = s;
  for (const l of stateListeners) l(s);
};

/** The Electron preload when present, else the Node host's socket. The UI never knows which. */
function pickBridge(): LeadInboxBridge {
  if (window.leadInbox) return window.leadInbox;
  const token = hostToken();
  if (!token) {
    setSocketState('closed');
    return {
      call: async () => ({ ok: false, error: { code: 'not_allowed', message: 'Open Lead Inbox from the address it printed (it carries the access token).' } }),
      on: () => () => {},
    };
  }
  return createHostBridge(token, setSocketState);
}

const bridge = pickBridge();

/** True in the browser host, where the page itself must show notifications. */
export const isBrowserHost = !window.leadInbox;

/** Calls a main-process method; resolves with its value or throws ApiError with a code to switch on. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await bridge.call(method, input);
  if (!result.ok) throw new ApiError(result.error);
  return result.value as MethodOutput<M>;
}

export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge.on(event, listener);
}

export function getSocketState(): SocketState {
  return socketState;
}

export function onSocketState(listener: (s: SocketState) => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

/** Message for an error shown to the owner. */
export function errorText(error: unknown): string {
  return error instanceof ApiError || error instanceof Error ? error.message : String(error);
}

/**
 * For methods another area may not have registered in this build yet (e.g. threads.forLead):
 * resolves null when the method is unknown instead of failing the whole view.
 */
export async function callIfAvailable(method: string, input: unknown): Promise<unknown> {
  const result = await bridge.call(method as MethodName, input as never);
  if (!result.ok) {
    if (result.error.code === 'invalid_input' && result.error.message.startsWith('Unknown method')) return null;
    throw new ApiError(result.error);
  }
  return result.value;
}
