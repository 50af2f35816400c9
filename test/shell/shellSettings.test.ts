import { describe, expect, it } from 'vitest';
import {
  autostartDesktopEntry,
  autostartFileName,
  launchedHidden,
} from '../../main/electron/pure/autostart';
import {
  defaultShellSettings,
  resolveUpdateFeed,
  shellSettingsFromStored,
} from '../../main/electron/pure/shellSettings';
import { WakeGate } from '../../main/electron/pure/wake';

describe('shell settings', () => {
  it('defaults to closing to the tray, not starting at login, and no automatic updates', () => {
    expect(shellSettingsFromStored(undefined)).toEqual(defaultShellSettings);
    expect(defaultShellSettings).toMatchObject({
      closeToTray: true,
      startAtLogin: false,
      autoUpdate: false,
    });
  });

  it('keeps valid stored fields and replaces only the broken ones with defaults', () => {
    const s = shellSettingsFromStored({
      closeToTray: false,
      startAtLogin: 'yes',
      updateFeedUrl: 'http://x',
      extra: 1,
    });
    expect(s).toEqual({ ...defaultShellSettings, closeToTray: false });
  });
});

describe('update feed', () => {
  const on = { ...defaultShellSettings, autoUpdate: true };
  it('does nothing while the setting is off, even with a feed in the environment', () => {
    expect(
      resolveUpdateFeed(defaultShellSettings, { LEAD_INBOX_UPDATE_URL: 'https://u.example/feed' }),
    ).toEqual({
      enabled: false,
      reason: 'automatic updates are off in settings',
    });
  });

  it('prefers LEAD_INBOX_UPDATE_URL over the setting', () => {
    const settings = { ...on, updateFeedUrl: 'https://settings.example/feed' };
    expect(
      resolveUpdateFeed(settings, { LEAD_INBOX_UPDATE_URL: 'https://env.example/feed/' }),
    ).toEqual({
      enabled: true,
      url: 'https://env.example/feed/',
    });
    expect(resolveUpdateFeed(settings, {})).toEqual({
      enabled: true,
      url: 'https://settings.example/feed',
    });
  });

  it('explains why updates are off when no feed is usable', () => {
    expect(resolveUpdateFeed(on, {})).toMatchObject({
      enabled: false,
      reason: expect.stringContaining('no update feed'),
    });
    expect(resolveUpdateFeed(on, { LEAD_INBOX_UPDATE_URL: 'http://updates.example/' })).toEqual({
      enabled: false,
      reason: 'update feed must be https',
    });
    expect(
      resolveUpdateFeed(on, { LEAD_INBOX_UPDATE_URL: 'http://127.0.0.1:9000/feed' }),
    ).toMatchObject({ enabled: true });
  });
});

describe('start at login', () => {
  it('writes an XDG autostart entry that relaunches hidden, quoting paths with spaces', () => {
    const entry = autostartDesktopEntry({
      name: 'Lead Inbox',
      execPath: '/home/ana/Apps/Lead Inbox.AppImage',
    });
    expect(entry).toContain('Exec="/home/ana/Apps/Lead Inbox.AppImage" --hidden\n');
    expect(entry.startsWith('[Desktop Entry]\nType=Application\nName=Lead Inbox\n')).toBe(true);
    expect(autostartFileName('Lead Inbox')).toBe('lead-inbox.desktop');
  });

  it('recognises a hidden launch from argv or from macOS login items', () => {
    expect(launchedHidden(['/usr/bin/lead-inbox', '--hidden'])).toBe(true);
    expect(launchedHidden(['/usr/bin/lead-inbox'])).toBe(false);
    expect(launchedHidden([], true)).toBe(true);
  });
});

describe('waking the core', () => {
  it('wakes on a return to online, not on the first sample or while still online', () => {
    const g = new WakeGate(5_000);
    expect(g.online(true, 0)).toBe(false);
    expect(g.online(false, 1_000)).toBe(false);
    expect(g.online(true, 20_000)).toBe(true);
    expect(g.online(true, 40_000)).toBe(false);
  });

  it('collapses resume, unlock and online arriving together into one wake', () => {
    const g = new WakeGate(5_000);
    g.online(false, 0);
    expect(g.resumed(10_000)).toBe(true);
    expect(g.resumed(10_500)).toBe(false);
    expect(g.online(true, 11_000)).toBe(false);
    expect(g.resumed(16_000)).toBe(true);
  });
});
