/**
 * The IPC transport of the core API: one invoke channel ('api:call') into dispatch, one push
 * channel ('api:event') for core events. The checks live in pure/ipcGuard.ts.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Dispatch } from '../core/api/dispatch';
import type { EventBus } from '../core/events';
import type { Logger } from '../core/ports';
import { createApiCallHandler, type IpcSender } from './pure/ipcGuard';

export const callChannel = 'api:call';
export const eventChannel = 'api:event';

/**
 * Events the shell handles natively instead of forwarding: in Electron the notification is
 * shown by main (notifier.ts); forwarding it would make the renderer show a second one.
 */
const shellOnlyEvents = new Set<string>(['notification.requested']);

export interface IpcWiring {
  /** Stop taking calls (quitting); calls still in flight finish. */
  stopAccepting(): void;
  dispose(): void;
}

export function registerIpc(opts: {
  dispatch: Dispatch;
  events: EventBus;
  window: () => BrowserWindow | null;
  rendererUrl: () => string | null;
  logger: Logger;
}): IpcWiring {
  let accepting = true;
  const handle = createApiCallHandler({
    dispatch: opts.dispatch,
    accepting: () => accepting,
    trusted: () => {
      const win = opts.window();
      const url = opts.rendererUrl();
      return win && !win.isDestroyed() && url
        ? { webContentsId: win.webContents.id, documentUrl: url }
        : null;
    },
    onRejected: (reason) => opts.logger.warn('ipc call rejected', { reason }),
  });

  ipcMain.handle(callChannel, (event: IpcMainInvokeEvent, ...args: unknown[]) =>
    handle(senderOf(event), args),
  );

  const unsubscribe = opts.events.onAny((name, payload) => {
    if (shellOnlyEvents.has(name)) return;
    const win = opts.window();
    if (win && !win.isDestroyed()) win.webContents.send(eventChannel, name, payload);
  });

  return {
    stopAccepting: () => {
      accepting = false;
    },
    dispose: () => {
      unsubscribe();
      ipcMain.removeHandler(callChannel);
    },
  };
}

function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url ?? null,
    // Top frame of the window: no parent. Subframes (there should be none: frame-src 'none') fail.
    isMainFrame: !!frame && frame.parent === null,
  };
}
