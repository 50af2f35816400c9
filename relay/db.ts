import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type RelayDb = Database.Database;

export const RELAY_DB_FILE = 'relay.sqlite';

/**
 * The relay's own schema (not the desktop's migrations: different process, different data).
 * `deliveries` is the per-install log: every install has its own gap-free seq space, so several
 * installs bound to one page each keep their own cursor over the same stored event.
 */
const migrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        received_at INTEGER NOT NULL,
        object TEXT NOT NULL,
        kind TEXT NOT NULL,
        asset_id TEXT NOT NULL,
        raw TEXT NOT NULL
      ) STRICT;
      CREATE INDEX events_received_at ON events(received_at);
      CREATE TABLE installs (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        head_seq INTEGER NOT NULL DEFAULT 0,
        acked_seq INTEGER NOT NULL DEFAULT 0,
        -- acked_seq as of the previous retention sweep: acked rows at or below it are past grace.
        swept_acked_seq INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE bindings (
        install_id TEXT NOT NULL REFERENCES installs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        asset_id TEXT NOT NULL,
        -- Meta user id behind the token that proved access (debug_token), for deauthorisation.
        user_id TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (install_id, kind, asset_id)
      ) STRICT;
      CREATE INDEX bindings_asset ON bindings(kind, asset_id);
      CREATE TABLE deliveries (
        install_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        event_id INTEGER NOT NULL,
        PRIMARY KEY (install_id, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX deliveries_event ON deliveries(event_id);
    `,
  },
  {
    // When swept_acked_seq was taken: acked rows up to it are removed only once it is a grace old.
    version: 2,
    sql: `ALTER TABLE installs ADD COLUMN swept_at INTEGER NOT NULL DEFAULT 0;`,
  },
];

/**
 * WAL + synchronous=FULL: a commit is fsynced before the webhook gets its 200, so an event
 * survives kill -9 (and power loss) the instant after. Group commit amortises the fsync.
 */
export function openRelayDb(dataDir: string): RelayDb {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, RELAY_DB_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  let version = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations.filter((x) => x.version > version)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    version = m.version;
  }
  return db;
}
