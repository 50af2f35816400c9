import type { Result } from './errors';
import type { EventName, EventPayload, MethodInput, MethodName } from './api/index';

/**
 * What a transport gives the renderer: the Electron preload exposes it as `window.leadInbox`
 * through contextBridge; in the browser the host client implements the same over a WebSocket.
 */
export interface LeadInboxBridge {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<unknown>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Frames of the Node host's loopback socket (`/api?token=…`). */
export type HostClientFrame = { id: number; method: string; input: unknown };
export type HostServerFrame =
  | { id: number; result: Result<unknown> }
  | { event: EventName; payload: unknown };
