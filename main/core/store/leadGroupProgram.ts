import { createRequire } from 'node:module';
import { leadSearchColumns } from './migrations/0004-inbox';
import { leadSearchValues } from './migrations/0010-stored-answers-search-text';
import { searchDocFor } from './migrations/0012-search-doc-on-lead';
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
  /**
   * Groups in one transaction (write lock first), search indexed; each written group's rows'
   * outcomes. Stops after the first group for which yieldNow() is true (the rest are not written).
   */
  writeGroups(groups: LeadRowValues[][], yieldNow?: () => boolean): LeadUpsertOutcome[][];
}

// Insert unless the lead is known (DO NOTHING inserts no row and fires no trigger), else look up
// its state and update it: not one ON CONFLICT DO UPDATE, because what the write meant (completed
// a pending lead, or rewrote a known one) depends on the state before it. Positional parameters:
// binding a fresh object by name per lead cost measurably in a large backfill.
const upsertSql = {
  stateOf: 'SELECT state FROM leads WHERE id = ?',
  insert: `INSERT INTO leads (id, page_id, received_at, form_id, created_time, updated_at, platform,
       is_organic, ad_id, ad_name, adset_id, adset_name, campaign_id, campaign_name, full_name, email,
       phone, company, city, answers, search_answers, state, fetch_attempts, next_fetch_at, fetch_error,
       search_doc)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'complete', 0, NULL, NULL,
       ${searchDocFor('?')})
     ON CONFLICT(id) DO NOTHING`,
  update: `UPDATE leads SET form_id = ?, created_time = ?, updated_at = ?, platform = ?, is_organic = ?,
       ad_id = ?, ad_name = ?, adset_id = ?, adset_name = ?, campaign_id = ?, campaign_name = ?,
       full_name = ?, email = ?, phone = ?, company = ?, city = ?, answers = ?, search_answers = ?,
       state = 'complete',
       fetch_attempts = 0, next_fetch_at = NULL, fetch_error = NULL
     WHERE id = ?`,
};

/**
 * Batched search indexing (migrations 0006, 0012): while the writer's row sits in
 * lead_search_deferred, the search triggers stand aside for every lead above its after_rowid, and
 * the insert trigger is not there at all: the writer drops it and recreates it from its stored
 * text. It does all of this inside its own transaction (schema changes are transactional too), so
 * no other connection ever sees the row or the missing trigger, then indexes every lead it inserted
 * in one set-based statement. Same transaction, so a lead is searchable exactly when it is
 * committed, as with the triggers. Updates of older leads still reindex through their trigger.
 *
 * Why: FTS5 flushes its pending terms into a new on-disk segment at every statement savepoint, and
 * a trigger-firing INSERT opens one per row, so each lead became a segment of its own. Measured on
 * 20,000 simulator leads in 500-lead transactions: trigger per lead ~11,000 leads/s, batched ~20,000.
 * Standing aside was not enough: an insert trigger, even one whose WHEN is false, makes every INSERT
 * a multi-write statement, for which SQLite copies each page it changes into a statement journal
 * first (ten b-trees per lead). Measured in SQLite alone, 100,000 simulator leads in 20,000-lead
 * transactions, interleaved: 29,017 leads/s with the trigger standing aside, 38,034 with it dropped.
 *
 * The upsert's insert gives each lead its doc id; a lead inserted some other way inside the batch
 * gets one first, and one whose created_time changed after its insert (its update trigger stood
 * aside) a new one. Docs are indexed in ascending order: FTS5 also flushes a segment whenever a rowid
 * is lower than the previous one, and Meta pages leads newest first. `+l.search_doc` sorts the
 * batch's rows: ordering by the index would walk all of leads_search_doc.
 */
const searchSql = {
  maxRowid: 'SELECT coalesce(max(rowid), 0) FROM leads',
  deferSearch: 'INSERT OR REPLACE INTO lead_search_deferred(writer, after_rowid) VALUES (1, ?)',
  resumeSearch: 'DELETE FROM lead_search_deferred',
  giveDocs: `UPDATE leads SET search_doc = ${searchDocFor('leads.created_time')}
   WHERE rowid > ? AND (search_doc IS NULL OR search_doc / 1048576 <> created_time)`,
  indexText: `INSERT INTO leads_fts(rowid, ${leadSearchColumns})
  SELECT l.search_doc, ${leadSearchValues('l')} FROM leads l WHERE l.rowid > ? ORDER BY +l.search_doc`,
  insertTrigger: `SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'leads_search_insert'`,
};

/** Every statement leadGroupProgram.cjs runs, by name; the search ones are prepared on first use. */
export const leadGroupSql = {
  ...upsertSql,
  dropInsertTrigger: 'DROP TRIGGER leads_search_insert',
  search: searchSql,
};

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
