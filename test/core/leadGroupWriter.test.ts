/**
 * The backfill writer (store/leadGroupWriter.ts): lead groups written on a worker thread with its
 * own connection. What the owner notices: every lead of a group is in the inbox and found by search
 * once its write resolves; the app's own writes during a backfill (a status change, a live webhook)
 * wait their turn instead of failing; and where the thread cannot start, leads are still written.
 * Real SQLite files on disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../main/core/ports';
import { openDatabase, type Db } from '../../main/core/store/db';
import type { LeadRowValues } from '../../main/core/store/leadGroupProgram';
import { createLeadGroupWriter, type LeadGroupWriter } from '../../main/core/store/leadGroupWriter';
import { insertPendingLead, leadRowValues } from '../../main/core/store/leadWrites';
import { normalisedLead } from './normalisedLead';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function store(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'li-group-writer-'));
  const db = openDatabase(join(dir, 'lead-inbox.sqlite'));
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => void db.close(),
  );
  return db;
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, warn: (msg: string) => void warnings.push(msg), error() {} };
}

function writer(
  db: Db,
  log: Logger,
  opts?: Parameters<typeof createLeadGroupWriter>[2],
): LeadGroupWriter {
  const w = createLeadGroupWriter(db, log, opts);
  cleanups.push(() => w.close());
  return w;
}

const t0 = 1_790_000_000_000;
const lead = (n: number, fullName = `Person ${n}`) =>
  normalisedLead(String(7_000_000 + n), n, t0 - n * 1_000, {
    fullName,
    answers: [{ key: 'full_name', label: 'Full name', values: [fullName] }],
  });
const rows = (from: number, count: number, name?: (n: number) => string): LeadRowValues[] =>
  Array.from({ length: count }, (_, i) =>
    leadRowValues(lead(from + i, name?.(from + i)), 'p1', t0),
  );

const found = (db: Db, text: string): string[] =>
  db
    .prepare(
      `SELECT l.id FROM leads_fts JOIN leads l ON l.search_doc = leads_fts.rowid
          WHERE leads_fts MATCH ? ORDER BY l.id`,
    )
    .pluck()
    .all(`"${text}"`) as string[];

describe('backfill writer thread', () => {
  it('commits each group on its own connection: the inbox lists and searches it as soon as the write resolves', async () => {
    const db = store();
    const log = recordingLogger();
    const w = writer(db, log);
    // A webhook's lead, known by id only, is completed by the group that brings its fields.
    insertPendingLead(db, {
      id: '7000002',
      pageId: 'p1',
      formId: 'f1',
      adId: null,
      createdTime: t0,
      receivedAt: t0,
    });

    const first = await w.write(rows(1, 3));
    expect(first).toEqual(['new', 'completed', 'new']);
    expect(db.prepare(`SELECT count(*) FROM leads WHERE state = 'complete'`).pluck().get()).toBe(3);
    expect(found(db, 'Person 2')).toEqual(['7000002']);

    // The same leads again, one renamed: rewritten in place and searchable by the new name only.
    const again = await w.write(rows(1, 3, (n) => (n === 3 ? 'Renamed Lead' : `Person ${n}`)));
    expect(again).toEqual(['updated', 'updated', 'updated']);
    expect(found(db, 'Renamed')).toEqual(['7000003']);
    expect(found(db, 'Person 3')).toEqual([]);
    expect(log.warnings).toEqual([]); // it ran on the thread, not the fallback
  });

  it('groups written back to back all commit, in order, each lead once', async () => {
    const db = store();
    const w = writer(db, recordingLogger(), { maxLeads: 700 });
    const writes = Array.from({ length: 8 }, (_, g) => w.write(rows(g * 250, 250)));
    const outcomes = await Promise.all(writes);
    expect(outcomes.flat().every((o) => o === 'new')).toBe(true);
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(2_000);
    expect(db.prepare('SELECT count(*) FROM leads_fts').pluck().get()).toBe(2_000);
  });

  it("the core's own read-then-write transactions wait for the writer's commits instead of failing", async () => {
    const db = store();
    const w = writer(db, recordingLogger());
    // As a backfill feeds it: a group of 1,000 leads at a time, at most two waiting.
    let busy = true;
    const all = (async () => {
      const inFlight: Promise<unknown>[] = [];
      for (let g = 0; g < 30; g++) {
        inFlight.push(w.write(rows(g * 1_000, 1_000)));
        if (inFlight.length > 2) await inFlight.shift();
      }
      await Promise.all(inFlight);
    })().finally(() => (busy = false));
    // As the owner's actions and live webhooks do: read, work a little, then write. A deferred
    // transaction would hold a snapshot the writer's next commit makes stale (SQLITE_BUSY).
    const note = db.transaction((i: number) => {
      db.prepare('SELECT count(*) FROM leads').pluck().get();
      const until = performance.now() + 5;
      while (performance.now() < until);
      db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)').run(`owner-action-${i}`, 'done');
    });
    let i = 0;
    let longest = 0;
    while (busy) {
      const t = performance.now();
      note(i++);
      longest = Math.max(longest, performance.now() - t);
      await new Promise((r) => setTimeout(r, 1));
    }
    await all;
    expect(i).toBeGreaterThan(5); // they really did run while the writer was writing
    // None waited anywhere near the 5 s busy timeout: at most the groups ahead of it.
    expect(longest).toBeLessThan(2_000);
    expect(
      db.prepare(`SELECT count(*) FROM kv WHERE key LIKE 'owner-action-%'`).pluck().get(),
    ).toBe(i);
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(30_000);
  });

  it('lets a core write in between two groups of a long transaction instead of after all of them', async () => {
    const db = store();
    const w = writer(db, recordingLogger());
    await w.write(rows(0, 1)); // the thread is up
    // Another connection that never waits: BEGIN IMMEDIATE fails while the writer holds the lock.
    const probe = new Database(db.name, { timeout: 0 });
    cleanups.push(() => void probe.close());
    const writerHoldsLock = () => {
      try {
        probe.exec('BEGIN IMMEDIATE; ROLLBACK');
        return false;
      } catch {
        return true;
      }
    };
    // Six groups handed over while a core write holds the lock: the writer waits for it, then
    // takes all six into one transaction.
    const six = Array.from({ length: 6 }, (_, g) => rows(1 + g * 2_000, 2_000));
    let groups: Promise<unknown[]>[] = [];
    db.transaction(() => (groups = six.map((r) => w.write(r))))();
    while (!writerHoldsLock()) await new Promise((r) => setImmediate(r));
    // A live webhook's commit, as the relay client makes it.
    db.transaction(() => db.prepare(`INSERT INTO kv (key, value) VALUES ('live', 'now')`).run())();
    // It went in after some whole groups, not after the last one.
    const committed = (db.prepare('SELECT count(*) FROM leads').pluck().get() as number) - 1;
    expect(committed % 2_000).toBe(0);
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(12_000);
    for (const outcomes of await Promise.all(groups))
      expect(outcomes.every((o) => o === 'new')).toBe(true);
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(12_001);
    expect(db.prepare('SELECT count(*) FROM leads_fts').pluck().get()).toBe(12_001);
  });

  it('a writer warmed before the first group writes it as usual, and warmed but idle it lets the app quit', async () => {
    const db = store();
    const log = recordingLogger();
    const w = writer(db, log);
    w.warm();
    w.warm();
    expect(await w.write(rows(1, 3))).toEqual(['new', 'new', 'new']);
    expect(found(db, 'Person 2')).toEqual(['7000002']);
    expect(log.warnings).toEqual([]);

    // A process whose only work left is a warm writer ends by itself (as a closing app does).
    const script = `
      const { createLeadGroupWriter } = await import(${JSON.stringify(join(root, 'main/core/store/leadGroupWriter.ts'))});
      const { openDatabase } = await import(${JSON.stringify(join(root, 'main/core/store/db.ts'))});
      const db = openDatabase(${JSON.stringify(join(db.name, '..', 'quit.sqlite'))});
      createLeadGroupWriter(db, { info() {}, warn() {}, error() {} }).warm();
      setTimeout(() => console.log('warm'), 200);`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', script], {
      timeout: 15_000,
    });
    expect(stdout.trim()).toBe('warm');
  });

  it('writes on the core thread, with a warning, where the worker cannot start', async () => {
    const db = store();
    const log = recordingLogger();
    const w = writer(db, log, {
      sqlitePath: join(tmpdir(), 'no-such-module', 'better-sqlite3.js'),
    });
    expect(await w.write(rows(1, 2))).toEqual(['new', 'new']);
    expect(await w.write(rows(3, 1))).toEqual(['new']);
    expect(found(db, 'Person 3')).toEqual(['7000003']);
    expect(log.warnings).toEqual([
      'backfill writer thread unavailable; writing on the core thread',
    ]);
  });
});
