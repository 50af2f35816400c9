import type { CapiEvent, CapiEventStatus } from '../../../shared/index';
import { recordFirstContact } from '../speedToLead/firstContact';
import type { Db } from '../store/db';
import { readConversionSettings } from './settings';

/**
 * The durable CAPI event queue. Rows are keyed UNIQUE(lead_id, stage): queuing is idempotent and a
 * stage of a lead is sent to Meta at most once, however often the owner moves the lead back and forth.
 */

export interface QueuedRow {
  id: number;
  lead_id: string;
  stage: string;
  event_name: string;
  event_time: number;
  status: CapiEventStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  sent_at: number | null;
  test_event_code: string | null;
}

/**
 * Call inside the transaction that moves a lead to `stage` (leads.setStatus does). Queues the CRM
 * event when the stage is mapped and a dataset is connected, and counts a manual "contacted" as
 * the first contact. Returns true when an event was queued by this call.
 */
export function recordStageChange(db: Db, leadId: string, stage: string, at: number): boolean {
  if (stage === 'contacted') recordFirstContact(db, leadId, at, 'status');
  const settings = readConversionSettings(db);
  const eventName = settings.stageEvents[stage];
  if (!settings.datasetId || !eventName) return false;
  const lead = db.prepare('SELECT created_time FROM leads WHERE id = ?').get(leadId) as
    | { created_time: number }
    | undefined;
  if (!lead) return false;
  // Meta discards events timed before the lead was created; clocks can disagree by seconds.
  const eventTime = Math.max(at, lead.created_time);
  const res = db
    .prepare(
      `INSERT INTO capi_events (lead_id, stage, event_name, event_time, next_attempt_at, test_event_code, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(lead_id, stage) DO NOTHING`,
    )
    .run(leadId, stage, eventName, eventTime, at, settings.testEventCode, at);
  return res.changes > 0;
}

/**
 * Heals stage changes whose recordStageChange call never happened (a code path that forgot it, or
 * a dataset connected after the change): every lead whose current stage is mapped, changed within
 * Meta's 7-day window, and has no event for that stage yet. Returns the lead ids queued.
 */
export function queueMissedStageChanges(db: Db, now: number, leadId?: string): string[] {
  const settings = readConversionSettings(db);
  const stages = Object.keys(settings.stageEvents);
  if (!settings.datasetId || stages.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT l.id, l.status, l.status_changed_at FROM leads l
        WHERE l.status IN (${stages.map(() => '?').join(',')})
          AND l.status_changed_at >= ? AND (? IS NULL OR l.id = ?)
          AND NOT EXISTS (SELECT 1 FROM capi_events e WHERE e.lead_id = l.id AND e.stage = l.status)`,
    )
    .all(...stages, now - maxEventAgeMs, leadId ?? null, leadId ?? null) as {
    id: string;
    status: string;
    status_changed_at: number;
  }[];
  const queued: string[] = [];
  db.transaction(() => {
    for (const r of rows) if (recordStageChange(db, r.id, r.status, r.status_changed_at)) queued.push(r.id);
  })();
  return queued;
}

/** Meta discards events older than 7 days, and one such event fails its whole batch. */
export const maxEventAgeMs = 7 * 24 * 3600_000;

export interface DueRow extends QueuedRow {
  page_id: string;
  email: string | null;
  phone: string | null;
}

export function dueEvents(db: Db, now: number, limit: number): DueRow[] {
  return db
    .prepare(
      `SELECT e.*, l.page_id, l.email, l.phone FROM capi_events e JOIN leads l ON l.id = e.lead_id
        WHERE e.status = 'pending' AND e.next_attempt_at <= ?
        ORDER BY e.next_attempt_at, e.id LIMIT ?`,
    )
    .all(now, limit) as DueRow[];
}

export function markSent(db: Db, ids: number[], now: number): void {
  const stmt = db.prepare(
    `UPDATE capi_events SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL
      WHERE id = ? AND status = 'pending'`,
  );
  db.transaction(() => ids.forEach((id) => stmt.run(now, id)))();
}

export function markRetry(db: Db, ids: number[], nextAttemptAt: number, error: string): void {
  const stmt = db.prepare(
    `UPDATE capi_events SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
      WHERE id = ? AND status = 'pending'`,
  );
  db.transaction(() => ids.forEach((id) => stmt.run(nextAttemptAt, error, id)))();
}

export function markFailed(db: Db, ids: number[], error: string, countAttempt = true): void {
  const stmt = db.prepare(
    `UPDATE capi_events SET status = 'failed', attempts = attempts + ?, last_error = ?
      WHERE id = ? AND status = 'pending'`,
  );
  db.transaction(() => ids.forEach((id) => stmt.run(countAttempt ? 1 : 0, error, id)))();
}

/** Failed events go back to pending (the owner fixed the cause); sent ones are never touched. */
export function requeueFailed(db: Db, now: number, leadId?: string): number {
  const res = db
    .prepare(
      `UPDATE capi_events SET status = 'pending', next_attempt_at = ?
        WHERE status = 'failed' AND (? IS NULL OR lead_id = ?)`,
    )
    .run(now, leadId ?? null, leadId ?? null);
  return res.changes;
}

export function eventsForLead(db: Db, leadId: string): CapiEvent[] {
  const rows = db
    .prepare('SELECT * FROM capi_events WHERE lead_id = ? ORDER BY event_time DESC, id DESC')
    .all(leadId) as QueuedRow[];
  return rows.map((r) => ({
    id: r.id,
    leadId: r.lead_id,
    stage: r.stage,
    eventName: r.event_name,
    eventTime: r.event_time,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    lastError: r.last_error,
    sentAt: r.sent_at,
    testEventCode: r.test_event_code,
  }));
}

export function queueCounts(db: Db): Record<CapiEventStatus, number> {
  const out: Record<CapiEventStatus, number> = { pending: 0, sent: 0, failed: 0 };
  const rows = db.prepare('SELECT status, count(*) AS n FROM capi_events GROUP BY status').all() as {
    status: CapiEventStatus;
    n: number;
  }[];
  for (const r of rows) out[r.status] = r.n;
  return out;
}
