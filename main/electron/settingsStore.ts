/**
 * shell.json in the user data folder (electron-store): tray, login, updates, window geometry.
 * The owner's app settings are the core's (settings.json next to the database). Every read is
 * validated by the pure schemas, so a damaged file degrades to defaults instead of crashing the
 * app. No secrets are ever written here (tokens: keychain).
 */
import Store from 'electron-store';
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
