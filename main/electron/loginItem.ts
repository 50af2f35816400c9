/**
 * "Start at login". macOS and Windows use app.setLoginItemSettings; Linux has no such API in
 * Electron, so an XDG autostart entry is written (and removed) under ~/.config/autostart.
 */
import { app } from 'electron';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../core/ports';
import {
  autostartDesktopEntry,
  autostartFileName,
  hiddenFlag,
  launchedHidden,
} from './pure/autostart';

export function applyStartAtLogin(enabled: boolean, logger: Logger): void {
  try {
    if (process.platform === 'linux') {
      const dir = join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart');
      const file = join(dir, autostartFileName(app.getName()));
      if (!enabled) return rmSync(file, { force: true });
      // Inside an AppImage, execPath is a temporary mount; $APPIMAGE is the file the owner keeps.
      const execPath = process.env.APPIMAGE || process.execPath;
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, autostartDesktopEntry({ name: app.getName(), execPath }));
      return;
    }
    app.setLoginItemSettings({ openAtLogin: enabled, args: [hiddenFlag] });
  } catch (error) {
    logger.warn('could not change start at login', { error: String(error) });
  }
}

/** True when this launch came from the login item (then "start minimised" applies). */
export function wasLaunchedAtLogin(): boolean {
  const mac = process.platform === 'darwin' ? app.getLoginItemSettings().wasOpenedAtLogin : false;
  return launchedHidden(process.argv, mac);
}
