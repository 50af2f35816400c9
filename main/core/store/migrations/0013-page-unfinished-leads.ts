import type { Migration } from './types';

/**
 * The pending and failed leads of each page, indexed apart: a partial index that holds only leads
 * that are not complete, so it stays a few entries long and costs a complete lead (every backfilled
 * one) nothing but the check.
 *
 * Why: pages.list and every pages.changed (a sync's start and end, each reconciliation) count each
 * page's pending and failed leads. Through leads_page_created those counts read every lead row of
 * the page to look at its state: at 1,000,000 leads over three pages, about a second per count and
 * six seconds per list, all on the core's thread. Queries name the index's condition
 * (`state <> 'complete'`) so SQLite can use it (store/pages.ts).
 */
export const m0013: Migration = {
  version: 13,
  name: 'page-unfinished-leads',
  up(db) {
    db.exec(`CREATE INDEX leads_page_unfinished ON leads(page_id, state) WHERE state <> 'complete'`);
  },
};
