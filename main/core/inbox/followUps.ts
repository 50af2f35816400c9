import type { Db } from '../store/db';
import type { Settings } from '../../../shared/index';
import type { EventBus } from '../events';
import { inQuietHours } from '../leads/notifyLead';
import type { Logger, NotificationRequest, Notifier } from '../ports';

const checkEveryMs = 30_000;

/**
 * Raises one reminder per due follow-up. A reminder is marked sent in the same statement batch as it
 * is raised, so a restart never repeats it; setting a new date re-arms it (see mutations.setFollowUp).
 */
export function createFollowUpScheduler(
  db: Db,
  notifier: Notifier,
  events: EventBus,
  now: () => number,
  log: Logger,
  settings?: () => Settings,
) {
  let timer: NodeJS.Timeout | null = null;
  const due = db.prepare(
    `SELECT id, full_name, email, phone FROM leads
      WHERE follow_up_at IS NOT NULL AND follow_up_notified_at IS NULL AND follow_up_at <= ?
      ORDER BY follow_up_at LIMIT 20`,
  );
  const mark = db.prepare('UPDATE leads SET follow_up_notified_at = ? WHERE id = ?');

  const check = (): number => {
    const at = now();
    const prefs = settings?.();
    // Quiet hours postpone reminders (they fire when the quiet hours end); "off" drops them.
    if (prefs && prefs.notifications.enabled && inQuietHours(prefs, new Date(at))) return 0;
    const rows = due.all(at) as { id: string; full_name: string | null; email: string | null; phone: string | null }[];
    for (const r of rows) {
      mark.run(at, r.id);
      if (prefs && !prefs.notifications.enabled) continue;
      const who = prefs && !prefs.notifications.previews ? 'a lead' : r.full_name || r.email || r.phone || 'a lead';
      const n: NotificationRequest = {
        tag: `follow-up:${r.id}`,
        title: 'Follow-up due',
        body: `Time to get back to ${who}.`,
        route: `lead/${r.id}`,
      };
      // Same convention as the rest of the core: native notifier + event for open windows.
      notifier.notify(n);
      events.emit('notification.requested', n);
    }
    return rows.length;
  };

  return {
    check,
    start() {
      const tick = () => {
        try {
          check();
        } catch (error) {
          log.warn('follow-up check failed', { error: String(error) });
        }
      };
      tick();
      timer = setInterval(tick, checkEveryMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
