import type { Migration } from './types';

/**
 * Messenger, Instagram and WhatsApp conversations: contacts (one person across channels), threads,
 * messages (unique on Meta's mid / wamid, so replays never duplicate), reactions, the durable
 * reply outbox, the media cache index, and a lookup of leads by phone / email / name for linking.
 */
export const m0002: Migration = {
  version: 2,
  name: 'conversations',
  up(db) {
    db.exec(`
      CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        name TEXT,
        phone TEXT,
        email TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;

      -- How we recognise a person: psid / igsid are scoped to the page / IG account, wa_user is the
      -- WhatsApp business-scoped user id (BSUID), wa_id the phone-based id (fallback), phone E.164.
      CREATE TABLE contact_keys (
        kind TEXT NOT NULL CHECK (kind IN ('psid', 'igsid', 'wa_user', 'wa_id', 'phone', 'email')),
        scope TEXT NOT NULL DEFAULT '',
        value TEXT NOT NULL,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        PRIMARY KEY (kind, scope, value)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX contact_keys_contact ON contact_keys(contact_id);

      -- A lead is one person: at most one contact per lead. how = phone (automatic) | owner (confirmed).
      CREATE TABLE contact_leads (
        lead_id TEXT PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        how TEXT NOT NULL CHECK (how IN ('phone', 'email', 'name', 'owner')),
        linked_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX contact_leads_contact ON contact_leads(contact_id);

      -- Normalised copies of lead fields so matching a contact never scans the leads table.
      CREATE TABLE lead_match (
        lead_id TEXT PRIMARY KEY,
        phone_e164 TEXT,
        email_lc TEXT,
        name_lc TEXT
      ) STRICT;
      CREATE INDEX lead_match_phone ON lead_match(phone_e164) WHERE phone_e164 IS NOT NULL;
      CREATE INDEX lead_match_email ON lead_match(email_lc) WHERE email_lc IS NOT NULL;
      CREATE INDEX lead_match_name ON lead_match(name_lc) WHERE name_lc IS NOT NULL;

      CREATE TABLE threads (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL CHECK (channel IN ('messenger', 'instagram', 'whatsapp')),
        -- page id (messenger, instagram) or phone number id (whatsapp): the sending account
        account_id TEXT NOT NULL,
        -- IG account id (instagram) or WABA id (whatsapp); null for messenger
        asset_id TEXT,
        -- what the owner calls the account when no page row names it (WhatsApp display number)
        account_label TEXT,
        -- PSID / IGSID / BSUID-or-wa_id the thread was opened with: the Send API recipient
        participant_id TEXT NOT NULL,
        -- wa_id when known: WhatsApp's 'to' (a BSUID-only user is addressed by user_id)
        wa_id TEXT,
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        created_at INTEGER NOT NULL,
        last_message_at INTEGER,
        last_preview TEXT,
        last_direction TEXT CHECK (last_direction IN ('in', 'out')),
        last_inbound_at INTEGER,
        unread_count INTEGER NOT NULL DEFAULT 0,
        -- highest read watermark the person sent (Messenger/IG): late messages below it are read too
        read_watermark INTEGER NOT NULL DEFAULT 0,
        delivery_watermark INTEGER NOT NULL DEFAULT 0,
        UNIQUE (channel, account_id, participant_id)
      ) STRICT;
      CREATE INDEX threads_recent ON threads(last_message_at DESC, id DESC);
      CREATE INDEX threads_channel_recent ON threads(channel, last_message_at DESC, id DESC);
      CREATE INDEX threads_unread ON threads(last_message_at DESC, id DESC) WHERE unread_count > 0;
      CREATE INDEX threads_contact ON threads(contact_id);

      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
        meta_id TEXT UNIQUE,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        kind TEXT NOT NULL,
        text TEXT,
        attachments TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL CHECK (status IN ('received', 'sending', 'sent', 'delivered', 'read', 'failed')),
        error TEXT,
        sent_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        reply_to TEXT,
        from_elsewhere INTEGER NOT NULL DEFAULT 0,
        -- JSON: postback payload, referral, template choice…: kept for display and debugging
        extra TEXT
      ) STRICT;
      CREATE INDEX messages_thread_time ON messages(thread_id, sent_at DESC, id DESC);

      -- A status that arrived before we knew its message (WhatsApp 'sent' can beat the Send API answer).
      CREATE TABLE early_statuses (
        meta_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        error TEXT,
        at INTEGER NOT NULL
      ) STRICT;

      -- Keyed on the target's Meta id: a reaction can arrive for a message we never stored.
      CREATE TABLE reactions (
        target_meta_id TEXT NOT NULL,
        by TEXT NOT NULL CHECK (by IN ('contact', 'business')),
        emoji TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (target_meta_id, by)
      ) STRICT, WITHOUT ROWID;

      -- Replies not yet accepted by Meta. Survives restarts: the worker resumes from here.
      CREATE TABLE outbox (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT
      ) STRICT;
      CREATE INDEX outbox_due ON outbox(next_attempt_at);

      -- Files under <dataDir>/media; last_used_at drives LRU eviction under the size cap.
      CREATE TABLE media_cache (
        key TEXT PRIMARY KEY,
        file TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX media_cache_lru ON media_cache(last_used_at);
    `);
  },
};
