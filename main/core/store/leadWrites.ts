import type { NormalisedLead } from '../leads/normalise';
import { customAnswersText } from '../leads/searchText';
import type { Db } from './db';
import { leadGroupProgram, type LeadRowValues, type LeadUpsertOutcome } from './leadGroupProgram';
import { stmt } from './statements';

export interface PendingLead {
  id: string;
  pageId: string;
  formId: string | null;
  adId: string | null;
  /** Unix ms. */
  createdTime: number;
  receivedAt: number;
}

/** Records a lead we only know the id of (a webhook). Idempotent: returns false if it was known. */
export function insertPendingLead(db: Db, lead: PendingLead): boolean {
  const r = stmt(
    db,
    `INSERT OR IGNORE INTO leads (id, page_id, form_id, ad_id, created_time, received_at, updated_at, state, next_fetch_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
  ).run(
    lead.id,
    lead.pageId,
    lead.formId,
    lead.adId,
    lead.createdTime,
    lead.receivedAt,
    lead.receivedAt,
    lead.receivedAt,
  );
  return r.changes === 1;
}

/** new: first time we see it; completed: was pending (a webhook) and now has its fields; updated: known. */
export type LeadUpsert = (lead: NormalisedLead, pageId: string, now: number) => LeadUpsertOutcome;

/**
 * Writes a fetched lead's fields, keyed by Meta's lead id. What the owner did (status, notes,
 * tags, first contact) and when we first saw it are never overwritten (store/leadGroupProgram.cjs,
 * which the backfill writer thread runs too).
 */
export function prepareLeadUpsert(db: Db): LeadUpsert {
  const program = leadGroupProgram(db);
  return (lead, pageId, now) => program.upsert(leadRowValues(lead, pageId, now));
}

/** [id, pageId, receivedAt, form_id … answers, search_answers]: the values both upsert statements take. */
export function leadRowValues(lead: NormalisedLead, pageId: string, now: number): LeadRowValues {
  return [
    lead.id,
    pageId,
    now,
    lead.formId,
    lead.createdTime,
    now,
    lead.platform,
    lead.isOrganic ? 1 : 0,
    lead.adId,
    lead.adName,
    lead.adsetId,
    lead.adsetName,
    lead.campaignId,
    lead.campaignName,
    lead.fullName,
    lead.email,
    lead.phone,
    lead.company,
    lead.city,
    JSON.stringify(lead.answers),
    customAnswersText(lead.answers),
  ];
}

export interface DueLead {
  id: string;
  page_id: string;
  form_id: string | null;
  fetch_attempts: number;
  was_pending_since: number;
}

/** Pending leads whose next attempt is due, oldest first. */
export function dueLeads(db: Db, now: number, limit: number): DueLead[] {
  return stmt(
    db,
    `SELECT id, page_id, form_id, fetch_attempts, received_at AS was_pending_since FROM leads
        WHERE state = 'pending' AND next_fetch_at IS NOT NULL AND next_fetch_at <= ?
        ORDER BY next_fetch_at LIMIT ?`,
  ).all(now, limit) as DueLead[];
}

export function nextDueAt(db: Db): number | null {
  const r = stmt(
    db,
    `SELECT min(next_fetch_at) AS t FROM leads WHERE state = 'pending' AND next_fetch_at IS NOT NULL`,
  ).get() as { t: number | null };
  return r.t;
}

export function scheduleRetry(
  db: Db,
  id: string,
  attempts: number,
  nextAt: number,
  error: string,
): void {
  stmt(
    db,
    `UPDATE leads SET fetch_attempts = ?, next_fetch_at = ?, fetch_error = ? WHERE id = ? AND state = 'pending'`,
  ).run(attempts, nextAt, error, id);
}

/** Parks a pending lead until its page is usable again (reconnect), keeping the reason for the UI. */
export function parkLead(db: Db, id: string, error: string): void {
  stmt(
    db,
    `UPDATE leads SET next_fetch_at = NULL, fetch_error = ? WHERE id = ? AND state = 'pending'`,
  ).run(error, id);
}

export function failLead(db: Db, id: string, error: string, now: number): void {
  stmt(
    db,
    `UPDATE leads SET state = 'failed', next_fetch_at = NULL, fetch_error = ?, updated_at = ? WHERE id = ?`,
  ).run(error, now, id);
}

/**
 * After a reconnect: every parked or failed lead of these pages is fetched again, now. The
 * `state <> 'complete'` term lets SQLite find them through leads_page_unfinished (migration 0013).
 */
export function requeueLeadsOfPages(db: Db, pageIds: string[], now: number): number {
  let n = 0;
  const requeue = stmt(
    db,
    `UPDATE leads SET state = 'pending', next_fetch_at = ?, fetch_attempts = 0
      WHERE page_id = ? AND state <> 'complete'
        AND (state = 'failed' OR (state = 'pending' AND next_fetch_at IS NULL))`,
  );
  for (const id of pageIds) n += requeue.run(now, id).changes;
  return n;
}

export function countLeadsByState(db: Db, state: 'pending' | 'failed'): number {
  return (stmt(db, 'SELECT count(*) AS n FROM leads WHERE state = ?').get(state) as { n: number })
    .n;
}
