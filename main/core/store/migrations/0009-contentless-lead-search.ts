import { leadSearchColumns, leadSearchValues } from './0004-inbox';
import type { Migration } from './types';

/**
 * The search index keeps only its index: leads_fts becomes a contentless FTS5 table
 * (`content=''`) that still accepts deletes by rowid (`contentless_delete=1`, SQLite 3.43+).
 *
 * Why: nothing ever read the copy of each lead's searchable text that a regular FTS5 table stores
 * in leads_fts_content; every search asks only for matching rowids (inbox/query.ts) and reads the
 * lead itself from `leads`. Writing that copy was one more b-tree insert per lead and about 6 % of
 * the bytes a backfill commits. Measured in SQLite alone, 100,000 simulator leads in 5,000-lead
 * transactions: about 6 % more leads per second. contentless_delete keeps the triggers' and the
 * batch writer's `DELETE FROM leads_fts WHERE rowid = ?` working unchanged, so a replaced or
 * renamed lead loses its old terms as before. (`columnsize=0` would save a little more but cannot
 * be combined with it, and deleting by re-supplying the old text would tie every delete to the
 * exact text once indexed.)
 *
 * The index is rebuilt from `leads` in doc order: a few seconds at 100,000 leads, once. The doc ids
 * in lead_search_ids stay as they were; the triggers name leads_fts and resolve it when they run.
 */
export const m0009: Migration = {
  version: 9,
  name: 'contentless-lead-search',
  up(db) {
    db.exec(`
      DROP TABLE leads_fts;
      CREATE VIRTUAL TABLE leads_fts USING fts5(
        ${leadSearchColumns},
        tokenize = 'trigram', content = '', contentless_delete = 1
      );
      INSERT INTO leads_fts(rowid, ${leadSearchColumns})
        SELECT s.doc, ${leadSearchValues('l')} FROM lead_search_ids s JOIN leads l ON l.id = s.lead_id
         ORDER BY s.doc;
    `);
  },
};
