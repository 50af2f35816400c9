import {
  ApiError,
  conversionSettingsSchema,
  defaultStageEvents,
  type ConversionSettings,
} from '../../../shared/index';
import type { Db } from '../store/db';

/**
 * Conversion and speed-to-lead settings live in the store's kv table, not the settings file: the
 * stage mapping must be readable inside the same SQLite transaction that changes a lead's stage,
 * so queuing the event commits (or not) together with the stage change.
 */
const key = 'conversions.settings';

export function defaultConversionSettings(): ConversionSettings {
  return {
    datasetId: null,
    stageEvents: { ...defaultStageEvents },
    testEventCode: null,
    sendHashedContact: false,
    defaultCountry: null,
    reminderMinutes: 5,
    remindersEnabled: true,
    businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  };
}

/** Field by field, so one bad stored value (older build, hand edit) falls back alone. */
export function readConversionSettings(db: Db): ConversionSettings {
  const out = defaultConversionSettings() as Record<string, unknown>;
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
  let stored: Record<string, unknown> = {};
  try {
    stored = row ? (JSON.parse(row.value) as Record<string, unknown>) : {};
  } catch {
    stored = {};
  }
  for (const [field, schema] of Object.entries(conversionSettingsSchema.shape)) {
    const parsed = schema.safeParse(stored[field]);
    if (parsed.success && field in stored) out[field] = parsed.data;
  }
  return out as ConversionSettings;
}

export function writeConversionSettings(db: Db, patch: Partial<ConversionSettings>): ConversionSettings {
  const next = { ...readConversionSettings(db), ...stripUndefined(patch) };
  if (!isValidTimeZone(next.timeZone)) {
    throw new ApiError({ code: 'invalid_input', message: `Unknown time zone: ${next.timeZone}` });
  }
  const { start, end } = next.businessHours;
  if (start >= end) {
    throw new ApiError({
      code: 'invalid_input',
      message: 'Business hours must end after they start (overnight hours are not supported).',
      issues: [{ path: 'businessHours.end', message: 'Must be later than start' }],
    });
  }
  const valid = conversionSettingsSchema.parse(next);
  db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, JSON.stringify(valid));
  return valid;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
