import type Database from 'better-sqlite3';
import type { Migration } from './types';

/**
 * The inbox: full-text search, saved views, change history and follow-up reminders.
 *
 * Search is an FTS5 table with the trigram tokenizer, so any fragment of 3+ characters matches
 * ("5550" inside "+1 555-0123" through the digits-only phone column, "itchen" inside "Kitchen").
 * Its rowid comes from lead_search_ids (an INTEGER PRIMARY KEY, stable across VACUUM, unlike the
 * implicit rowid of `leads`), and triggers keep it in step with every write path, so the ingest and
 * sync code that upserts leads needs to know nothing about search.
 */
// The digits column uses plain SQL (not an app function) so any connection can run the
// triggers: strip the usual phone punctuation. The phone as typed is not indexed: every phone-like
// word is also searched as digits (inbox/search.ts), so a second phone column only cost time.
const digits = (row: string) =>
  `replace(replace(replace(replace(replace(replace(replace(coalesce(${row}.phone, ''), ' ', ''), '-', ''), '+', ''), '(', ''), ')', ''), '.', ''), '/', '')`;
// Answers to the standard questions are already in their own columns; indexing them again (with
// their labels) tripled the trigrams per lead and the insert cost with them. Custom answers only.
const standardKeys = `'full_name', 'first_name', 'last_name', 'email', 'phone_number', 'phone', 'company_name', 'company', 'city'`;
/** The searched columns of leads_fts, in order. */
export const leadSearchColumns = 'name, email, phone_digits, company, city, answers';
/** The first five values of leadSearchColumns (all but the answers) for a leads row alias. */
export const leadSearchFieldValues = (row: string) => `
  coalesce(${row}.full_name, ''), coalesce(${row}.email, ''), ${digits(row)},
  coalesce(${row}.company, ''), coalesce(${row}.city, '')`;
/** The searched text of a row's custom answers, computed from its answers JSON (0010 stores it instead). */
export const customAnswersSql = (row: string) => `
  coalesce((SELECT group_concat(v.value, ' ')
              FROM json_each(CASE WHEN json_valid(${row}.answers) THEN ${row}.answers ELSE '[]' END) a, json_each(a.value, '$.values') v
             WHERE a.value ->> 'key' NOT IN (${standardKeys})), '')`;
/** The values of leadSearchColumns for a leads row alias (`new` in a trigger, `l` in a select). */
export const leadSearchValues = (row: string) => `${leadSearchFieldValues(row)},${customAnswersSql(row)}`;
const values = leadSearchValues;

/** Fills the search index from the leads table (this migration's backfill; 0012 has the current one). */
function backfillLeadSearch(db: Database.Database): void {
  db.exec(`
    DELETE FROM leads_fts;
    DELETE FROM lead_search_ids;
    INSERT INTO lead_search_ids(lead_id) SELECT id FROM leads;
    INSERT INTO leads_fts(rowid, ${leadSearchColumns})
      SELECT s.doc, ${values('l')} FROM leads l JOIN lead_search_ids s ON s.lead_id = l.id;
  `);
}

export const m0004: Migration = {
  version: 4,
  name: 'inbox',
  up(db) {
    db.exec(`
      CREATE TABLE lead_search_ids (
        doc INTEGER PRIMARY KEY,
        lead_id TEXT NOT NULL UNIQUE
      ) STRICT;

      CREATE VIRTUAL TABLE leads_fts USING fts5(
        name, email, phone_digits, company, city, answers,
        tokenize = 'trigram'
      );

      CREATE TABLE lead_history (
        id INTEGER PRIMARY KEY,
        lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        field TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT
      ) STRICT;
      CREATE INDEX lead_history_lead ON lead_history(lead_id, at);

      CREATE TABLE saved_views (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        spec TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      ALTER TABLE leads ADD COLUMN follow_up_notified_at INTEGER;
      CREATE INDEX leads_follow_up_due ON leads(follow_up_at) WHERE follow_up_at IS NOT NULL AND follow_up_notified_at IS NULL;
      CREATE INDEX leads_status_created ON leads(status, created_time DESC, id);
      CREATE INDEX leads_name ON leads(full_name, id);
      CREATE INDEX leads_uncontacted ON leads(created_time DESC, id) WHERE first_contact_at IS NULL;
    `);
    // No OR IGNORE / OR REPLACE in the trigger bodies: SQLite applies the *outer* statement's
    // conflict policy to trigger programs, so an upsert (ON CONFLICT DO UPDATE) or INSERT OR REPLACE
    // on leads would turn them into hard failures. Plain guarded statements behave the same under
    // any outer policy.
    const reindex = (row: string) => `
        INSERT INTO lead_search_ids(lead_id) SELECT ${row}.id
          WHERE NOT EXISTS (SELECT 1 FROM lead_search_ids WHERE lead_id = ${row}.id);
        DELETE FROM leads_fts WHERE rowid = (SELECT doc FROM lead_search_ids WHERE lead_id = ${row}.id);
        INSERT INTO leads_fts(rowid, ${leadSearchColumns})
          VALUES ((SELECT doc FROM lead_search_ids WHERE lead_id = ${row}.id), ${values(row)});`;
    db.exec(`
      CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN ${reindex('new')}
      END;
      CREATE TRIGGER leads_search_update AFTER UPDATE OF full_name, email, phone, company, city, answers ON leads BEGIN ${reindex('new')}
      END;
      CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
        DELETE FROM leads_fts WHERE rowid = (SELECT doc FROM lead_search_ids WHERE lead_id = old.id);
        DELETE FROM lead_search_ids WHERE lead_id = old.id;
      END;
    `);
    backfillLeadSearch(db);
  },
};
