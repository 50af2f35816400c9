import type { ConversionSettings, Settings } from '../../../shared/index';
import { inQuietHours } from '../leads/notifyLead';
import type { EventBus } from '../events';
import type { Clock, Logger, NotificationRequest, Notifier } from '../ports';
import type { Db } from '../store/db';
import { businessTimeAfter } from './localTime';

/** Only leads this recent are candidates: covers a long weekend, skips years of backfill. */
const lookbackMs = 4 * 24 * 3600_000;
/** A reminder that fell due this long ago (the app was closed) is noise, not help. */
const staleAfterMs = 12 * 3600_000;

export interface ReminderDeps {
  db: Db;
  events: EventBus;
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  settings: () => ConversionSettings;
  /** The app's notification preferences (on/off, previews, quiet hours); all on when absent. */
  appSettings?: () => Settings;
}

/**
 * Speed-to-lead reminders: a new, uncontacted lead that has waited longer than the owner's limit
 * of business time raises one notification. reminder_sent makes "once per lead" survive restarts;
 * any contact (first_contact_at set) or a status other than "new" silences it.
 */
export function createReminders(deps: ReminderDeps) {
  const { db, clock } = deps;
  // Due times depend only on created_time and settings; cached so a tick stays cheap on big stores.
  const dueCache = new Map<string, number | null>();
  let cacheKey = '';

  function check(): string[] {
    const s = deps.settings();
    if (!s.remindersEnabled) return [];
    const key = JSON.stringify([s.reminderMinutes, s.businessHours, s.timeZone]);
    if (key !== cacheKey) {
      dueCache.clear();
      cacheKey = key;
    }
    const now = clock.now();
    const app = deps.appSettings?.();
    // Notifications off or quiet hours: nothing is marked, so a reminder still due afterwards shows then.
    if (app && (!app.notifications.enabled || inQuietHours(app, new Date(now)))) return [];
    const previews = app?.notifications.previews ?? true;
    const candidates = db
      .prepare(
        `SELECT l.id, l.created_time, l.full_name, f.name AS form_name FROM leads l
           LEFT JOIN forms f ON f.id = l.form_id
          WHERE l.first_contact_at IS NULL AND l.status = 'new' AND l.created_time >= ?
            AND NOT EXISTS (SELECT 1 FROM reminder_sent r WHERE r.lead_id = l.id)`,
      )
      .all(now - lookbackMs) as { id: string; created_time: number; full_name: string | null; form_name: string | null }[];
    const fired: string[] = [];
    const mark = db.prepare('INSERT INTO reminder_sent (lead_id, at) VALUES (?, ?) ON CONFLICT DO NOTHING');
    for (const lead of candidates) {
      let due = dueCache.get(lead.id);
      if (due === undefined) {
        due = businessTimeAfter(lead.created_time, s.reminderMinutes * 60_000, s.businessHours, s.timeZone);
        dueCache.set(lead.id, due);
      }
      if (due === null || due > now || due < now - staleAfterMs) continue;
      // Durable first, then notify: a crash in between loses one reminder, never repeats it.
      if (mark.run(lead.id, now).changes === 0) continue;
      dueCache.delete(lead.id);
      const waited = Math.round((now - lead.created_time) / 60_000);
      const n: NotificationRequest = {
        tag: `speed-to-lead:${lead.id}`,
        title: previews && lead.full_name ? `${lead.full_name} is waiting` : 'A new lead is waiting',
        body: `No contact yet after ${formatWait(waited)}${previews && lead.form_name ? ` (${lead.form_name})` : ''}. Answering fast wins leads.`,
        route: `lead/${lead.id}`,
      };
      deps.notifier.notify(n);
      deps.events.emit('notification.requested', n);
      fired.push(lead.id);
    }
    if (fired.length) deps.logger.info('speed-to-lead reminders shown', { count: fired.length });
    return fired;
  }

  return { check };
}

function formatWait(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  return minutes % 60 ? `${h} h ${minutes % 60} min` : `${h} h`;
}
