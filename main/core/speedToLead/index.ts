import { ApiError, type Settings } from '../../../shared/index';
import { readConversionSettings } from '../conversions/settings';
import type { EventBus } from '../events';
import type { Clock, Logger, Notifier } from '../ports';
import type { Db } from '../store/db';
import { getLeadRow } from '../store/leads';
import { recordFirstContact } from './firstContact';
import { createReminders } from './reminders';
import { speedToLeadStats } from './stats';

export { recordFirstContact } from './firstContact';

export interface SpeedToLeadDeps {
  db: Db;
  events: EventBus;
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  /** How often reminders are checked; default 30 s (the limit is minutes, so that is precise enough). */
  intervalMs?: number;
  /** The app's settings: reminders follow notifications on/off, previews and quiet hours. */
  appSettings?: () => Settings;
}

/** Speed to lead: first-contact recording, figures for Home, and the waiting-lead reminder. */
export function createSpeedToLead(deps: SpeedToLeadDeps) {
  const { db, events, clock } = deps;
  const reminders = createReminders({ ...deps, settings: () => readConversionSettings(db), appSettings: deps.appSettings });
  let timer: NodeJS.Timeout | null = null;

  const handlers = {
    'leads.contacted': ({ id, via }: { id: string; via: 'call' | 'email' | 'whatsapp' }) => {
      const first = db.transaction(() => {
        if (!db.prepare('SELECT 1 FROM leads WHERE id = ?').get(id)) {
          throw new ApiError({ code: 'not_found', message: `No lead with id ${id}.` });
        }
        return recordFirstContact(db, id, clock.now(), via);
      })();
      const lead = getLeadRow(db, id);
      if (first && lead) events.emit('lead.updated', { lead });
      return { firstContactAt: lead?.firstContactAt ?? null, first };
    },
    'speedToLead.stats': (range: { from?: number; to?: number }) =>
      speedToLeadStats(db, range, readConversionSettings(db).timeZone),
  };

  function safeCheck(): string[] {
    try {
      return reminders.check();
    } catch (e) {
      deps.logger.error('speed-to-lead reminder check failed', { error: String(e) });
      return [];
    }
  }

  return {
    handlers,
    /** Runs one reminder check now (tests drive this with their own clock); returns lead ids reminded. */
    checkReminders: safeCheck,
    recordFirstContact: (leadId: string, at: number, via: Parameters<typeof recordFirstContact>[3]) =>
      recordFirstContact(db, leadId, at, via),
    start() {
      if (timer) return;
      timer = setInterval(safeCheck, deps.intervalMs ?? 30_000);
      timer.unref?.();
      safeCheck();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type SpeedToLead = ReturnType<typeof createSpeedToLead>;
