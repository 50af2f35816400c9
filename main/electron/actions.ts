/**
 * What the menu and tray do with the core: "Sync now" and "Export…". Both go through the same
 * dispatch the renderer uses, so they are validated and logged like any other call.
 */
import { shell } from 'electron';
import type { Core } from '../core/app';
import type { Logger } from '../core/ports';

export interface ShellActions {
  syncNow(): void;
  /** Exports every lead to CSV in the data folder and shows the file when it is written. */
  exportLeads(): void;
  dispose(): void;
}

export function createShellActions(core: Core, logger: Logger): ShellActions {
  const waiting = new Set<string>();
  const off = core.events.onAny((name, payload) => {
    if (name !== 'export.progress') return;
    const p = payload as { exportId: string; file: string; done: boolean; error: string | null };
    if (!p.done || !waiting.delete(p.exportId)) return;
    if (p.error) logger.warn('export failed', { exportId: p.exportId });
    else shell.showItemInFolder(p.file);
  });

  return {
    syncNow() {
      void core.dispatch('sync.now', {}).then((r) => {
        if (!r.ok) logger.warn('sync now failed', { code: r.error.code });
      });
    },
    exportLeads() {
      void core.dispatch('export.start', { format: 'csv' }).then((r) => {
        if (r.ok) waiting.add((r.value as { exportId: string }).exportId);
        else logger.warn('export could not start', { code: r.error.code });
      });
    },
    dispose: off,
  };
}
