import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations/index';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the desktop store and brings its schema up to date.
 * WAL keeps readers (UI queries) off the writer's back. synchronous=FULL: every commit is fsynced
 * before it returns, because a commit is what the relay's ack rests on and the relay forgets acked
 * events; under NORMAL a laptop losing power could roll back events it had already acked (WhatsApp
 * messages have no history API to heal them). The cost is one fsync per transaction: the live path
 * writes a few per event and the backfill one per group of up to 2,000 leads.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Statement journals (opened by every write that fires a trigger, e.g. the search index of
  // migration 0004) go to memory instead of a temp file per statement: ~5x on batched lead inserts.
  db.pragma('temp_store = MEMORY');
  migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs every migration above the stored user_version, each in its own transaction. */
export function migrate(db: Db): number {
  let version = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (version > latest) {
    throw new Error(
      `The data folder was written by a newer Lead Inbox (schema ${version}, this build knows ${latest}).`,
    );
  }
  for (const m of migrations.filter((x) => x.version > version)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    version = m.version;
  }
  return version;
}
