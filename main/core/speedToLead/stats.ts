import type { SpeedToLeadStats } from '../../../shared/index';
import type { Db } from '../store/db';
import { weekOf } from './localTime';

interface Row {
  form_id: string | null;
  created_time: number;
  first_contact_at: number | null;
}

/** Median of the values (mean of the middle two for an even count); null when empty. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

class Group {
  readonly waits: number[] = [];
  uncontacted = 0;
  add(r: Row): void {
    if (r.first_contact_at === null) this.uncontacted++;
    else this.waits.push(r.first_contact_at - r.created_time);
  }
  summary() {
    return { medianMs: median(this.waits), contacted: this.waits.length, uncontacted: this.uncontacted };
  }
}

/** Leads are read a day of creation at a time: one slice of a million-lead store is ~10,000 rows. */
const sliceMs = 86_400_000;

/**
 * Time from a lead's creation to its first contact, for leads created in [from, to): overall, per
 * form and per local week (Monday start). Uncontacted leads are counted, not guessed into a median.
 * Reads day by day and yields to the event loop between days: over 90 days of a million leads the
 * whole read takes about a second of the core's one thread, and a live lead must not wait that long.
 */
export async function speedToLeadStats(
  db: Db,
  range: { from?: number; to?: number },
  timeZone: string,
): Promise<SpeedToLeadStats> {
  const span = db.prepare('SELECT min(created_time) AS lo, max(created_time) AS hi FROM leads').get() as {
    lo: number | null;
    hi: number | null;
  };
  const from = Math.max(range.from ?? 0, span.lo ?? 0);
  const to = Math.min(range.to ?? Number.MAX_SAFE_INTEGER, (span.hi ?? -1) + 1);
  const slice = db.prepare(
    `SELECT form_id, created_time, first_contact_at FROM leads WHERE created_time >= ? AND created_time < ?`,
  );
  // Form names separately: a join per lead would defeat the covering index (leads_created, migration 0008).
  const formNames = new Map(
    (db.prepare('SELECT id, name FROM forms').all() as { id: string; name: string }[]).map((f) => [f.id, f.name]),
  );
  const overall = new Group();
  const forms = new Map<string, { group: Group; formId: string | null; formName: string | null }>();
  const weeks = new Map<string, Group>();
  // Local week of an instant changes at most every 15 minutes (the finest zone offset step).
  const weekCache = new Map<number, string>();
  const add = (r: Row) => {
    overall.add(r);
    const fk = r.form_id ?? '';
    let f = forms.get(fk);
    if (!f) forms.set(fk, (f = { group: new Group(), formId: r.form_id, formName: r.form_id ? (formNames.get(r.form_id) ?? null) : null }));
    f.group.add(r);
    const bucket = Math.floor(r.created_time / 900_000);
    let week = weekCache.get(bucket);
    if (week === undefined) weekCache.set(bucket, (week = weekOf(bucket * 900_000, timeZone)));
    let w = weeks.get(week);
    if (!w) weeks.set(week, (w = new Group()));
    w.add(r);
  };
  for (let t = from; t < to; t += sliceMs) {
    for (const r of slice.all(t, Math.min(t + sliceMs, to)) as Row[]) add(r);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    overall: overall.summary(),
    perForm: [...forms.values()]
      .map((f) => ({ formId: f.formId, formName: f.formName, ...f.group.summary() }))
      .sort((a, b) => (a.formName ?? '').localeCompare(b.formName ?? '') || (a.formId ?? '').localeCompare(b.formId ?? '')),
    perWeek: [...weeks.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([week, g]) => ({ week, ...g.summary() })),
  };
}
