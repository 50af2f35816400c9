import type { Migration } from './types';

/** Accounts, pages, forms, leads and the relay cursor: the first lead, end to end. */
export const m0001: Migration = {
  version: 1,
  name: 'leads',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        connected_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'ok',
        error_code TEXT,
        error_message TEXT,
        error_fix TEXT,
        token_expires_at INTEGER,
        data_access_expires_at INTEGER,
        token_checked_at INTEGER
      ) STRICT;

      CREATE TABLE pages (
        id TEXT PRIMARY KEY,
        account_id TEXT,
        name TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 0,
        instagram_id TEXT,
        status TEXT NOT NULL DEFAULT 'ok',
        error_code TEXT,
        error_message TEXT,
        error_fix TEXT,
        last_sync_at INTEGER,
        next_sync_at INTEGER,
        -- Set when subscribed_apps holds every field we handle; cleared when a check finds it missing.
        subscribed_at INTEGER,
        -- Set when the relay accepted our proof for this page (events are forwarded to us).
        bound_at INTEGER,
        subscription_checked_at INTEGER
      ) STRICT;
      CREATE INDEX pages_account ON pages(account_id);

      -- WhatsApp Business numbers connected with a pasted system-user token (token in the keychain).
      CREATE TABLE whatsapp_numbers (
        phone_number_id TEXT PRIMARY KEY,
        waba_id TEXT NOT NULL,
        display_phone_number TEXT,
        verified_name TEXT,
        status TEXT NOT NULL DEFAULT 'ok',
        error_code TEXT,
        error_message TEXT,
        error_fix TEXT,
        connected_at INTEGER NOT NULL,
        bound_at INTEGER
      ) STRICT;

      CREATE TABLE forms (
        id TEXT PRIMARY KEY,
        page_id TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        locale TEXT,
        leads_count INTEGER,
        questions TEXT NOT NULL DEFAULT '[]',
        -- Unix seconds of the newest lead committed from this form; backfill resumes here minus overlap.
        cursor_time INTEGER,
        last_sync_at INTEGER
      ) STRICT;
      CREATE INDEX forms_page ON forms(page_id);

      CREATE TABLE leads (
        id TEXT PRIMARY KEY,
        page_id TEXT NOT NULL,
        form_id TEXT,
        created_time INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'complete', 'failed')),
        platform TEXT,
        is_organic INTEGER,
        ad_id TEXT,
        ad_name TEXT,
        adset_id TEXT,
        adset_name TEXT,
        campaign_id TEXT,
        campaign_name TEXT,
        full_name TEXT,
        email TEXT,
        phone TEXT,
        company TEXT,
        city TEXT,
        answers TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'new',
        status_changed_at INTEGER,
        notes TEXT NOT NULL DEFAULT '',
        first_contact_at INTEGER,
        follow_up_at INTEGER,
        fetch_attempts INTEGER NOT NULL DEFAULT 0,
        next_fetch_at INTEGER,
        fetch_error TEXT
      ) STRICT;
      CREATE INDEX leads_created ON leads(created_time DESC, id);
      CREATE INDEX leads_form_created ON leads(form_id, created_time DESC);
      CREATE INDEX leads_page_created ON leads(page_id, created_time DESC);
      CREATE INDEX leads_unfinished ON leads(next_fetch_at) WHERE state = 'pending';

      CREATE TABLE lead_tags (
        lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (lead_id, tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX lead_tags_tag ON lead_tags(tag, lead_id);

      -- Small key/value state: relay cursor, install id, last reconciliation time.
      CREATE TABLE kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
