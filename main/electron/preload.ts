/**
 * The renderer's only door to main. Bundled to one CommonJS file because a sandboxed preload can
 * require only electron's renderer modules. Exposes `window.leadInbox` = {call, on} and checks
 * method and event names against the shared tables before anything crosses the process edge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { LeadInboxBridge } from '../../shared/bridge';
import { isEventName, isMethodName, type EventName } from '../../shared/api/index';
import type { Result } from '../../shared/errors';

const callChannel = 'api:call';
const eventChannel = 'api:event';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

// One IPC listener for all events; fan-out happens here so many subscribers never pile up
// IPC listeners (and never hit the EventEmitter leak warning).
ipcRenderer.on(eventChannel, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return;
  for (const listener of listeners.get(name) ?? []) {
    try {
      listener(payload);
    } catch (error) {
      console.error(`leadInbox listener for ${name} failed`, error);
    }
  }
});

const bridge: LeadInboxBridge = {
  call(method, input) {
    if (!isMethodName(method)) {
      const result: Result<never> = {
        ok: false,
        error: { code: 'invalid_input', message: `Unknown method: ${String(method).slice(0, 80)}` },
      };
      return Promise.resolve(result);
    }
    return ipcRenderer.invoke(callChannel, method, input ?? {}) as Promise<Result<unknown>>;
  },
  on(event, listener) {
    if (!isEventName(event)) throw new TypeError(`Unknown event: ${String(event).slice(0, 80)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const entry = listener as (payload: unknown) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  },
};

contextBridge.exposeInMainWorld('leadInbox', bridge);
