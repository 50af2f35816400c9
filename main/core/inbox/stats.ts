import type { HomeStats } from '../../../shared/api/inbox';
import type { Db } from '../store/db';
import { median } from '../speedToLead/stats';

const dayMs = 86_400_000;
/** More groups than this make an unreadable chart; the rest are summed as "Other". */
const maxSeries = 5;

export interface StatsInput {
  days: 30 | 90;
  groupBy: 'form' | 'page';
  utcOffsetMinutes: number;
}

/** Figures for Home. Days are the owner's local days (by their UTC offset now). */
export function homeStats(db: Db, input: StatsInput, now: number): HomeStats {
  const offset = input.utcOffsetMinutes * 60_000;
  const today = Math.floor((now + offset) / dayMs);
  const todayStart = today * dayMs - offset;
  const firstDay = today - input.days + 1;
  const periodStart = firstDay * dayMs - offset;
  const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).pluck().get(...params) as number) ?? 0;

  const days = Array.from({ length: input.days }, (_, i) =>
    new Date((firstDay + i) * dayMs).toISOString().slice(0, 10),
  );
  return {
    newToday: count('SELECT count(*) FROM leads WHERE created_time >= ?', todayStart),
    newThisWeek: count('SELECT count(*) FROM leads WHERE created_time >= ?', todayStart - 6 * dayMs),
    uncontacted: count('SELECT count(*) FROM leads WHERE first_contact_at IS NULL'),
    unreadThreads: unreadThreads(db),
    days,
    series: leadsPerDay(db, input, offset, firstDay, periodStart),
    speedToLead: speedToLead(db, input.days, offset, firstDay, periodStart),
  };
}

function leadsPerDay(db: Db, input: StatsInput, offset: number, firstDay: number, from: number): HomeStats['series'] {
  const group = input.groupBy === 'form' ? 'l.form_id' : 'l.page_id';
  const names =
    input.groupBy === 'form' ? 'SELECT id, name FROM forms' : 'SELECT id, name FROM pages';
  const label = new Map((db.prepare(names).all() as { id: string; name: string }[]).map((r) => [r.id, r.name]));
  const rows = db
    .prepare(
      `SELECT CAST((l.created_time + ?) / ${dayMs} AS INTEGER) AS day, coalesce(${group}, '') AS k, count(*) AS n
         FROM leads l WHERE l.created_time >= ? GROUP BY day, k`,
    )
    .all(offset, from) as { day: number; k: string; n: number }[];
  const byKey = new Map<string, number[]>();
  for (const r of rows) {
    const i = r.day - firstDay;
    if (i < 0 || i >= input.days) continue;
    let counts = byKey.get(r.k);
    if (!counts) byKey.set(r.k, (counts = new Array<number>(input.days).fill(0)));
    counts[i]! += r.n;
  }
  const ranked = [...byKey.entries()].sort((a, b) => sum(b[1]) - sum(a[1]));
  const series = ranked.slice(0, maxSeries).map(([key, counts]) => ({
    key,
    label: label.get(key) ?? (key ? key : 'Unknown form'),
    counts,
  }));
  const rest = ranked.slice(maxSeries);
  if (rest.length) {
    const counts = new Array<number>(input.days).fill(0);
    for (const [, c] of rest) c.forEach((n, i) => (counts[i]! += n));
    series.push({ key: '__other', label: 'Other', counts });
  }
  return series;
}

function speedToLead(db: Db, days: number, offset: number, firstDay: number, from: number): HomeStats['speedToLead'] {
  const rows = db
    .prepare(
      `SELECT created_time AS c, first_contact_at AS f FROM leads
        WHERE created_time >= ? AND first_contact_at IS NOT NULL AND first_contact_at >= created_time`,
    )
    .all(from) as { c: number; f: number }[];
  const perDay: number[][] = Array.from({ length: days }, () => []);
  for (const r of rows) {
    const i = Math.floor((r.c + offset) / dayMs) - firstDay;
    if (i >= 0 && i < days) perDay[i]!.push(r.f - r.c);
  }
  return {
    medianMs: median(rows.map((r) => r.f - r.c)),
    contacted: rows.length,
    perDay: perDay.map(median),
  };
}

function unreadThreads(db: Db): number {
  return db.prepare('SELECT count(*) FROM threads WHERE unread_count > 0').pluck().get() as number;
}

function sum(a: number[]): number {
  return a.reduce((x, y) => x + y, 0);
}
