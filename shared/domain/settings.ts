import { z } from 'zod';

/**
 * Owner preferences. No secrets here, ever (tokens live in the OS keychain): the settings file is
 * plain JSON in the data folder. The schema is split into sections so other areas add a field in
 * their section (shape + default) without touching the rest; a stored file that lacks a newer field
 * gets its default when read.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour clock)');

export const generalSettingsShape = {
  /** Relay base URL (http(s)://host:port); null = use the build's / environment's default. */
  relayUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable(),
};

export const notificationSettingsShape = {
  enabled: z.boolean(),
  sound: z.boolean(),
  /** Show the lead's name / message text in the notification (off = "New lead" only). */
  previews: z.boolean(),
  quietHours: z.object({ enabled: z.boolean(), start: hhmm, end: hhmm }),
};

export const syncSettingsShape = {
  /** Incremental reconciliation period; a lost webhook shows up within one period. */
  reconciliationMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Warn the owner this many days before a token or its data access expires. */
  tokenWarningDays: z.number().int().min(1).max(60),
};

export const reminderSettingsShape = {
  /** Default follow-up reminder offset for a new lead, in hours; null = no automatic reminder. */
  followUpHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .nullable(),
};

export const leadsTableSettingsShape = {
  /**
   * Leads table columns the owner chose, in order; empty = the default set. Kept in main because
   * the Node host's origin (and so the renderer's localStorage) changes with its port on restart.
   */
  columns: z.array(z.string().max(40)).max(30),
};

export const settingsSchema = z.object({
  general: z.object(generalSettingsShape),
  notifications: z.object(notificationSettingsShape),
  sync: z.object(syncSettingsShape),
  reminders: z.object(reminderSettingsShape),
  leadsTable: z.object(leadsTableSettingsShape),
});
export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = {
  general: { relayUrl: null },
  notifications: {
    enabled: true,
    sound: true,
    previews: true,
    quietHours: { enabled: false, start: '22:00', end: '07:00' },
  },
  sync: { reconciliationMinutes: 15, tokenWarningDays: 7 },
  reminders: { followUpHours: 24 },
  leadsTable: { columns: [] },
};

/** A partial update: any section, any field of it; what is left out stays as it is. */
export const settingsPatchSchema = z.object({
  general: z.object(generalSettingsShape).partial().optional(),
  notifications: z.object(notificationSettingsShape).partial().optional(),
  sync: z.object(syncSettingsShape).partial().optional(),
  reminders: z.object(reminderSettingsShape).partial().optional(),
  leadsTable: z.object(leadsTableSettingsShape).partial().optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

type Section = Record<string, unknown>;

/** Applies a patch section by section (one level deep; nested objects such as quietHours are replaced whole). */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  const next = { ...current } as Record<keyof Settings, Section>;
  for (const key of Object.keys(patch) as (keyof Settings)[]) {
    const section = patch[key];
    if (section) next[key] = { ...(current[key] as Section), ...stripUndefined(section) };
  }
  return next as unknown as Settings;
}

/**
 * Reads whatever was stored (possibly from an older or newer version) into valid settings: each
 * field that is missing or invalid falls back to its default, so one bad value never loses the rest.
 */
export function settingsFromStored(stored: unknown): Settings {
  const out = structuredCloneSettings(defaultSettings) as Record<string, Section>;
  if (!stored || typeof stored !== 'object') return out as unknown as Settings;
  const shapes = settingsSchema.shape as Record<string, z.ZodObject>;
  for (const [sectionName, sectionSchema] of Object.entries(shapes)) {
    const storedSection = (stored as Record<string, unknown>)[sectionName];
    if (!storedSection || typeof storedSection !== 'object') continue;
    for (const [field, fieldSchema] of Object.entries(sectionSchema.shape)) {
      const parsed = (fieldSchema as z.ZodType).safeParse((storedSection as Section)[field]);
      if (parsed.success) out[sectionName]![field] = parsed.data;
    }
  }
  return out as unknown as Settings;
}

function stripUndefined(o: object): Section {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function structuredCloneSettings(s: Settings): Settings {
  return JSON.parse(JSON.stringify(s)) as Settings;
}
