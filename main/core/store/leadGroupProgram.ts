import { createRequire } from 'node:module';
import { leadSearchColumns } from './migrations/0004-inbox';
import { leadSearchValues } from './migrations/0010-stored-answers-search-text';
import type { Db } from './db';

/** What an upsert meant: first time seen, a pending (webhook) lead completed, or a known lead rewritten. */
export type LeadUpsertOutcome = 'new' | 'completed' | 'updated';

/**
 * A lead as one row of values: [id, pageId, receivedAt, ...fields] (store/leadWrites.ts builds it).
 * Plain values, so a group crosses to the writer thread as a cheap structured clone.
 */
export type LeadRowValues = unknown[];

export interface LeadGroupProgram {
  upsert(row: LeadRowValues): LeadUpsertOutcome;
  withBatchedSearch<T>(write: () => T): T;
  /** Groups in one transaction (write lock first), search indexed; each group's rows' outcomes. */
  writeGroups(groups: LeadRowValues[][]): LeadUpsertOutcome[][];
}

// Insert unless the lead is known (DO NOTHING inserts no row and fires no trigger), else look up
// its state and update it: not one ON CONFLICT DO UPDATE, because what the write meant (completed
// a pending lead, or rewrote a known one) depends on the state before it. Positional parameters:
// binding a fresh object by name per lead cost measurably in a large backfill.
const upsertSql = {
  stateOf: 'SELECT state FROM leads WHERE id = ?',
  insert: `INSERT INTO leads (id, page_id, received_at, form_id, created_time, updated_at, platform,
       is_organic, ad_id, ad_name, adset_id, adset_name, campaign_id, campaign_name, full_name, email,
       phone, company, city, answers, search_answers, state, fetch_attempts, next_fetch_at, fetch_error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'complete', 0, NULL, NULL)
     ON CONFLICT(id) DO NOTHING`,
  update: `UPDATE leads SET form_id = ?, created_time = ?, updated_at = ?, platform = ?, is_organic = ?,
       ad_id = ?, ad_name = ?, adset_id = ?, adset_name = ?, campaign_id = ?, campaign_name = ?,
       full_name = ?, email = ?, phone = ?, company = ?, city = ?, answers = ?, search_answers = ?,
       state = 'complete',
       fetch_attempts = 0, next_fetch_at = NULL, fetch_error = NULL
     WHERE id = ?`,
};

/**
 * Batched search indexing (migration 0006): while a row sits in lead_search_deferred the insert
 * trigger stands aside; the writer adds and removes that row inside its own transaction, so no other
 * connection ever sees it, then indexes every lead it inserted in set-based statements. Same
 * transaction, so a lead is searchable exactly when it is committed, as with the trigger. Updates
 * still reindex through their trigger. Not for INSERT OR REPLACE of a known lead: its implicit
 * delete fires no trigger, so the stale doc would stay (the upsert never replaces).
 *
 * Why: FTS5 flushes its pending terms into a new on-disk segment at every statement savepoint, and a
 * trigger-firing INSERT opens one per row, so each lead became a segment of its own. Measured on
 * 20,000 simulator leads in 500-lead transactions: trigger per lead ~11,000 leads/s, batched ~20,000.
 *
 * The doc ids (migration 0005: created_time * 2^20 + arrival order within that instant) of the
 * batch's new leads are computed once into a connection-local temp table (temp_store = MEMORY),
 * which both inserts read: evaluating the window function and per-instant max(doc) lookups twice
 * cost about a third of a backfill's search indexing.
 */
const createSearchTemp =
  'CREATE TEMP TABLE IF NOT EXISTS lead_search_new (doc INTEGER PRIMARY KEY, lead_rowid INTEGER NOT NULL)';
const searchSql = {
  maxRowid: 'SELECT coalesce(max(rowid), 0) FROM leads',
  deferSearch: 'INSERT OR IGNORE INTO lead_search_deferred(writer) VALUES (1)',
  resumeSearch: 'DELETE FROM lead_search_deferred',
  collectDocs: `INSERT INTO temp.lead_search_new(doc, lead_rowid)
  SELECT coalesce((SELECT max(doc) FROM lead_search_ids
                    WHERE doc BETWEEN l.created_time * 1048576 AND l.created_time * 1048576 + 1048575),
                  l.created_time * 1048576 - 1)
         + row_number() OVER (PARTITION BY l.created_time ORDER BY l.rowid) AS doc,
         l.rowid AS lead_rowid
    FROM leads l
   WHERE l.rowid > ? AND NOT EXISTS (SELECT 1 FROM lead_search_ids s WHERE s.lead_id = l.id)`,
  // Ascending doc order: FTS5 also flushes a segment whenever a rowid is lower than the previous
  // one, and Meta pages leads newest first.
  indexText: `INSERT INTO leads_fts(rowid, ${leadSearchColumns})
  SELECT n.doc, ${leadSearchValues('l')} FROM temp.lead_search_new n JOIN leads l ON l.rowid = n.lead_rowid
   ORDER BY n.doc`,
  indexIds: `INSERT INTO lead_search_ids(doc, lead_id, created_time)
  SELECT n.doc, l.id, l.created_time FROM temp.lead_search_new n JOIN leads l ON l.rowid = n.lead_rowid`,
  clearDocs: 'DELETE FROM temp.lead_search_new',
};

/** Every statement leadGroupProgram.cjs runs, by name; the search ones are prepared on first use. */
export const leadGroupSql = { ...upsertSql, createSearchTemp, search: searchSql };

const localRequire = createRequire(import.meta.url);
/** Next to this module, or next to the Electron bundle (main/tools/build.ts copies it there). */
export const leadGroupProgramPath = localRequire.resolve('./leadGroupProgram.cjs');

type ProgramFactory = (db: Db, sql: typeof leadGroupSql) => LeadGroupProgram;
const programs = new WeakMap<Db, LeadGroupProgram>();

/** The program on this connection, prepared once per connection. */
export function leadGroupProgram(db: Db): LeadGroupProgram {
  let program = programs.get(db);
  if (!program) {
    program = (localRequire(leadGroupProgramPath) as ProgramFactory)(db, leadGroupSql);
    programs.set(db, program);
  }
  return program;
}
