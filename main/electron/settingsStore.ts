/**
 * electron-store files in the user data folder: shell.json (tray, login, updates, window
 * geometry) and settings.json for the core's SettingsStore port. Only the shell touches
 * electron-store; every read is validated by the pure schemas, so a damaged file degrades to
 * defaults instead of crashing the app. No secrets are ever written here (tokens: keychain).
 */
import Store from 'electron-store';
import type { SettingsStore } from '../core/ports';
import { readWindowState, type WindowState } from './pure/windowState';
import { shellSettingsFromStored, type ShellSettings } from './pure/shellSettings';

export interface ShellStore {
  settings(): ShellSettings;
  update(patch: Partial<ShellSettings>): ShellSettings;
  windowState(): WindowState | null;
  saveWindowState(state: WindowState | null): void;
}

export function openShellStore(): ShellStore {
  const store = new Store<Record<string, unknown>>({ name: 'shell', clearInvalidConfig: true });
  return {
    settings: () => shellSettingsFromStored(store.get('settings')),
    update(patch) {
      const next = shellSettingsFromStored({
        ...shellSettingsFromStored(store.get('settings')),
        ...patch,
      });
      store.set('settings', next);
      return next;
    },
    windowState: () => readWindowState(store.get('window')),
    saveWindowState(state) {
      if (state) store.set('window', state);
    },
  };
}

/** The core's SettingsStore port over electron-store (atomic writes, same folder as the rest). */
export function createElectronSettingsStore(): SettingsStore {
  const store = new Store<Record<string, unknown>>({ name: 'settings', clearInvalidConfig: true });
  return {
    read: () => (store.has('settings') ? store.get('settings') : null),
    write: (settings) => store.set('settings', settings),
  };
}
