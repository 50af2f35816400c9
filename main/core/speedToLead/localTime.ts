import type { BusinessHours } from '../../../shared/index';

/**
 * Wall-clock reading of an instant in the owner's time zone (Intl, so DST and odd offsets such as
 * +05:45 are right without a time-zone library).
 */
export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes since local midnight, with seconds as a fraction. */
  minuteOfDay: number;
  /** YYYY-MM-DD. */
  date: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function localTime(ms: number, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = part.value;
  const seconds = Number(p.second) + (((ms % 1000) + 1000) % 1000) / 1000;
  return {
    weekday: weekdays.indexOf(p.weekday ?? ''),
    minuteOfDay: Number(p.hour) * 60 + Number(p.minute) + seconds / 60,
    date: `${p.year}-${p.month}-${p.day}`,
  };
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * When a lead created at `from` has waited `waitMs` of business time. Walks window by window
 * (at most a couple of steps per day), so a lead from Friday night is due on Monday morning plus
 * the wait, not at 23:05 on Friday. Null when no business day is set.
 */
export function businessTimeAfter(from: number, waitMs: number, hours: BusinessHours, timeZone: string): number | null {
  if (hours.days.length === 0) return null;
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  let t = from;
  let remaining = waitMs;
  // 3 steps per day for 8 days covers any week; the bound guards against a zone we misread.
  for (let step = 0; step < 24; step++) {
    const lt = localTime(t, timeZone);
    const open = hours.days.includes(lt.weekday);
    if (open && lt.minuteOfDay >= start && lt.minuteOfDay < end) {
      const left = (end - lt.minuteOfDay) * 60_000;
      if (left >= remaining) return t + remaining;
      remaining -= left;
      t += left;
    } else if (open && lt.minuteOfDay < start) {
      t += (start - lt.minuteOfDay) * 60_000;
    } else {
      // To the next local midnight. On a DST day this can land an hour off; the next step re-reads
      // the wall clock, so the walk corrects itself.
      t += (24 * 60 - lt.minuteOfDay) * 60_000;
    }
  }
  return null;
}

/** Monday (YYYY-MM-DD) of the local week holding `ms`. */
export function weekOf(ms: number, timeZone: string): string {
  const lt = localTime(ms, timeZone);
  const back = (lt.weekday + 6) % 7;
  const [y, m, d] = lt.date.split('-').map(Number);
  const monday = new Date(Date.UTC(y!, m! - 1, d! - back));
  return monday.toISOString().slice(0, 10);
}
