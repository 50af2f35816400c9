import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations/index';

export type Db = Database.Database;

/**
 * Settings of every connection to the desktop store: the core's own and the backfill writer
 * thread's (store/leadGroupWriter.ts).
 *
 * synchronous=FULL: every commit is fsynced before it returns, because a commit is what the relay's
 * ack rests on and the relay forgets acked events; under NORMAL a laptop losing power could roll
 * back events it had already acked (WhatsApp messages have no history API to heal them). The cost is
 * one fsync per transaction: the live path writes a few per event, the backfill one per group.
 */
export const connectionPragmas: readonly string[] = [
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  // Statement journals (opened by every write that fires a trigger, e.g. the search index of
  // migration 0004) go to memory instead of a temp file per statement: ~5x on batched lead inserts.
  'temp_store = MEMORY',
  // A checkpoint copies every distinct page in the WAL back into the database. At SQLite's default
  // (every 1,000 pages, 4 MB) a backfill checkpointed after nearly every 2,000-lead commit and so
  // copied the same hot index pages again and again: 0.8 s of 5.6 s per 100,000 leads. Every
  // 10,000 pages (40 MB) copies each of them once per many commits (0.15 s). A live commit adds a
  // few pages, so it rarely meets a checkpoint, and a checkpointed WAL shrinks back to the limit.
  'wal_autocheckpoint = 10000',
  `journal_size_limit = ${64 * 1024 * 1024}`,
  // Up to 64 MB of page cache (SQLite's default is 2 MB): a large WAL is slower to read through, and
  // the store's indexes at 100,000+ leads are tens of MB that every batch writes into.
  'cache_size = -65536',
  // An INSERT OR REPLACE of a lead deletes the old row; only with this on does that delete fire the
  // trigger that drops the old row's search terms (migration 0012). No trigger writes a column
  // another trigger watches, so nothing recurses.
  'recursive_triggers = ON',
];

/**
 * Opens (creating if needed) the desktop store and brings its schema up to date. WAL keeps readers
 * (UI queries) off the writers' backs.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  for (const p of connectionPragmas) db.pragma(p);
  writeLockFirst(db);
  migrate(db);
  return db;
}

/**
 * Two connections write the store: the core's and, during a backfill, the writer thread's. A
 * deferred transaction (better-sqlite3's default) that reads before it writes fails at once with
 * SQLITE_BUSY if the other connection committed in between: its snapshot is stale, and waiting
 * cannot help, so the busy timeout does not apply. Every transaction on this connection therefore
 * begins IMMEDIATE, taking the write lock first and waiting its turn (busy_timeout) instead.
 * Nested calls still become savepoints.
 */
function writeLockFirst(db: Db): void {
  const transaction = db.transaction.bind(db);
  const waiting = coreWritesSignal(db);
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const immediate = transaction(fn).immediate;
    const signalled = (...args: never[]) => {
      if (db.inTransaction) return immediate(...args); // a savepoint: the lock is already ours
      Atomics.add(waiting, 0, 1);
      try {
        return immediate(...args);
      } finally {
        Atomics.sub(waiting, 0, 1);
        Atomics.notify(waiting, 0);
      }
    };
    // Keeps the .default/.deferred/.immediate/.exclusive variants (unsignalled) and .database.
    const variants = ['default', 'deferred', 'immediate', 'exclusive', 'database'] as const;
    for (const key of variants)
      Object.defineProperty(signalled, key, { value: (immediate as unknown as Record<string, unknown>)[key] });
    return signalled;
  }) as typeof db.transaction;
}

const writeSignals = new WeakMap<Db, Int32Array>();

/**
 * How many of this connection's transactions are waiting for the write lock or holding it, shared
 * memory the backfill writer thread reads between lead groups (store/leadGroupWriter.ts): when a
 * live lead, a message or a click is waiting, it commits what it has and lets that write in first.
 */
export function coreWritesSignal(db: Db): Int32Array {
  let signal = writeSignals.get(db);
  if (!signal) {
    signal = new Int32Array(new SharedArrayBuffer(4));
    writeSignals.set(db, signal);
  }
  return signal;
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
