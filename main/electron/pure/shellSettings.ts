/**
 * Settings that belong to the desktop shell alone (the core's settings live in its data folder):
 * tray behaviour, start at login, automatic updates. Stored with electron-store; every read goes
 * through this schema so a hand-edited or older file falls back field by field to the defaults.
 */
import { z } from 'zod';

export const shellSettingsSchema = z.object({
  /** Closing the window keeps the app in the tray/menu bar so leads still arrive. */
  closeToTray: z.boolean(),
  startAtLogin: z.boolean(),
  /** When started at login, stay in the tray instead of opening the window. */
  startMinimised: z.boolean(),
  /** Off by default: an update is only fetched when the owner turns this on. */
  autoUpdate: z.boolean(),
  /** Generic-provider feed (a folder with latest.yml etc.); LEAD_INBOX_UPDATE_URL overrides it. */
  updateFeedUrl: z
    .url({ protocol: /^https$/ })
    .max(500)
    .nullable(),
});
export type ShellSettings = z.infer<typeof shellSettingsSchema>;

export const defaultShellSettings: ShellSettings = {
  closeToTray: true,
  startAtLogin: false,
  startMinimised: true,
  autoUpdate: false,
  updateFeedUrl: null,
};

export function shellSettingsFromStored(stored: unknown): ShellSettings {
  const out = { ...defaultShellSettings } as Record<string, unknown>;
  if (!stored || typeof stored !== 'object') return out as ShellSettings;
  for (const [field, schema] of Object.entries(shellSettingsSchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse((stored as Record<string, unknown>)[field]);
    if (parsed.success) out[field] = parsed.data;
  }
  return out as ShellSettings;
}

export type UpdateFeed = { enabled: true; url: string } | { enabled: false; reason: string };

/**
 * Where updates come from. The environment wins (a test or staging feed; http allowed only on
 * loopback so a test feed can be local), then the setting. No feed or the setting off = no updates.
 */
export function resolveUpdateFeed(
  settings: ShellSettings,
  env: Record<string, string | undefined>,
): UpdateFeed {
  if (!settings.autoUpdate)
    return { enabled: false, reason: 'automatic updates are off in settings' };
  const fromEnv = env.LEAD_INBOX_UPDATE_URL?.trim();
  const url = fromEnv || settings.updateFeedUrl;
  if (!url)
    return {
      enabled: false,
      reason: 'no update feed configured (LEAD_INBOX_UPDATE_URL or settings)',
    };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { enabled: false, reason: 'update feed is not a URL' };
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    return { enabled: false, reason: 'update feed must be https' };
  }
  return { enabled: true, url: parsed.href };
}
