import type { Migration } from './types';

/** Conversion feedback queue (Meta CAPI for CRM) and speed-to-lead records. */
export const m0003: Migration = {
  version: 3,
  name: 'conversions',
  up(db) {
    db.exec(`
      -- One row per (lead, stage) ever queued: the UNIQUE key is what guarantees a stage is sent
      -- to Meta at most once, whatever the owner clicks later.
      CREATE TABLE capi_events (
        id INTEGER PRIMARY KEY,
        lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        stage TEXT NOT NULL,
        event_name TEXT NOT NULL,
        -- Unix ms of the stage change; sent to Meta in seconds.
        event_time INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        sent_at INTEGER,
        test_event_code TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (lead_id, stage)
      ) STRICT;
      CREATE INDEX capi_events_due ON capi_events(next_attempt_at) WHERE status = 'pending';

      -- The first contact with each lead and how it happened (leads.first_contact_at mirrors 'at').
      CREATE TABLE first_contact (
        lead_id TEXT PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        via TEXT NOT NULL
      ) STRICT;

      -- A speed-to-lead reminder was shown for this lead; never again, even after a restart.
      CREATE TABLE reminder_sent (
        lead_id TEXT PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
        at INTEGER NOT NULL
      ) STRICT;

      -- Reminder candidates: new leads nobody has contacted yet, newest first.
      CREATE INDEX leads_uncontacted_new ON leads(created_time) WHERE first_contact_at IS NULL AND status = 'new';

      -- Speed to lead for Home reads these three columns of every lead in a window: a covering
      -- index makes that a scan of the index alone (about 4x less CPU than row lookups at 100k leads).
      CREATE INDEX leads_speed ON leads(created_time, form_id, first_contact_at);
    `);
  },
};
