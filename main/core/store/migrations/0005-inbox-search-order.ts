import type Database from 'better-sqlite3';
import type { Migration } from './types';

/**
 * Search results sorted by date without touching the wide `leads` rows: lead_search_ids (integer
 * keyed, a few dozen bytes a row) carries each lead's created_time, so "newest matches first" over
 * 10,000 matches reads 10,000 tiny rows instead of 10,000 lead rows with their answers JSON.
 * Triggers are recreated to keep the column in step (same conflict-clause-free style as 0004).
 */
const digits = (row: string) =>
  `replace(replace(replace(replace(replace(replace(replace(coalesce(${row}.phone, ''), ' ', ''), '-', ''), '+', ''), '(', ''), ')', ''), '.', ''), '/', '')`;
const values = (row: string) => `
  coalesce(${row}.full_name, ''), coalesce(${row}.email, ''), coalesce(${row}.phone, ''), ${digits(row)},
  coalesce(${row}.company, ''), coalesce(${row}.city, ''),
  coalesce((SELECT group_concat(j.value, ' ') FROM json_tree(CASE WHEN json_valid(${row}.answers) THEN ${row}.answers ELSE '[]' END) j
             WHERE j.type = 'text' AND j.key IS NOT 'key'), '')`;

const reindex = (row: string) => `
  INSERT INTO lead_search_ids(lead_id, created_time) SELECT ${row}.id, ${row}.created_time
    WHERE NOT EXISTS (SELECT 1 FROM lead_search_ids WHERE lead_id = ${row}.id);
  UPDATE lead_search_ids SET created_time = ${row}.created_time WHERE lead_id = ${row}.id AND created_time IS NOT ${row}.created_time;
  DELETE FROM leads_fts WHERE rowid = (SELECT doc FROM lead_search_ids WHERE lead_id = ${row}.id);
  INSERT INTO leads_fts(rowid, name, email, phone, phone_digits, company, city, answers)
    VALUES ((SELECT doc FROM lead_search_ids WHERE lead_id = ${row}.id), ${values(row)});`;

// A re-fetch (reconciliation, the pending-to-complete update) sets every column; only a real change reindexes.
const searched = ['full_name', 'email', 'phone', 'company', 'city', 'answers', 'created_time'];

/** The search triggers, also recreated by bulk loaders that drop them for speed. */
export const leadSearchTriggers = `
  CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN ${reindex('new')}
  END;
  CREATE TRIGGER leads_search_update AFTER UPDATE OF full_name, email, phone, company, city, answers, created_time ON leads
    WHEN ${searched.map((c) => `new.${c} IS NOT old.${c}`).join(' OR ')}
  BEGIN ${reindex('new')}
  END;
  CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
    DELETE FROM leads_fts WHERE rowid = (SELECT doc FROM lead_search_ids WHERE lead_id = old.id);
    DELETE FROM lead_search_ids WHERE lead_id = old.id;
  END;`;

/** Fills the whole search index from `leads` in set-based statements (after a bulk load). */
export function rebuildLeadSearch(db: Database.Database): void {
  db.exec(`
    DELETE FROM leads_fts;
    DELETE FROM lead_search_ids;
    INSERT INTO lead_search_ids(lead_id, created_time) SELECT id, created_time FROM leads;
    INSERT INTO leads_fts(rowid, name, email, phone, phone_digits, company, city, answers)
      SELECT s.doc, ${values('l')} FROM leads l JOIN lead_search_ids s ON s.lead_id = l.id;
  `);
}

export const m0005: Migration = {
  version: 5,
  name: 'inbox-search-order',
  up(db) {
    db.exec(`
      DROP TRIGGER leads_search_insert;
      DROP TRIGGER leads_search_update;
      DROP TRIGGER leads_search_delete;
      ALTER TABLE lead_search_ids ADD COLUMN created_time INTEGER NOT NULL DEFAULT 0;
      UPDATE lead_search_ids SET created_time = coalesce((SELECT created_time FROM leads WHERE leads.id = lead_search_ids.lead_id), 0);
      ${leadSearchTriggers}
    `);
  },
};
