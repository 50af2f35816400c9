import { reindexLeadSearch } from './0005-inbox-search-order';
import type { Migration } from './types';

/**
 * Lets a batch writer (the backfill) index its new leads for search in set-based statements at
 * the end of its transaction instead of through the insert trigger, one lead at a time.
 *
 * Why: FTS5 flushes its pending terms into a new on-disk segment at every statement savepoint, and
 * an INSERT that fires a trigger opens one per row, so each lead became a segment of its own that
 * automerge then rewrote again and again (store/leadSearch.ts has the figures). While a row sits in
 * lead_search_deferred the insert trigger stands aside; the writer adds and removes that row inside
 * its own transaction, so no other connection ever sees it, and a crash rolls it back with the
 * batch. An empty table (the normal state, and what data.deleteAll leaves) means every insert is
 * indexed by the trigger as before. Updates and deletes always go through their triggers.
 */
const insertTrigger = `
  CREATE TRIGGER leads_search_insert AFTER INSERT ON leads
    WHEN NOT EXISTS (SELECT 1 FROM lead_search_deferred)
  BEGIN ${reindexLeadSearch('new')}
  END;`;

export const m0006: Migration = {
  version: 6,
  name: 'lead-search-batch',
  up(db) {
    db.exec(`
      CREATE TABLE lead_search_deferred (
        writer INTEGER PRIMARY KEY
      ) STRICT;
      DROP TRIGGER leads_search_insert;
      ${insertTrigger}
    `);
  },
};
