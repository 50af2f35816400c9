/**
 * What Settings → Pages shows for each page (store/pages.ts listPageSummaries, behind pages.list and
 * pages.changed): its leads, and of those the ones still being fetched and the ones that failed.
 * Real SQLite files on disk, a store from before migration 13 included.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/store/db';
import { requeueLeadsOfPages } from '../../main/core/store/leadWrites';
import { migrations } from '../../main/core/store/migrations/index';
import { listPageSummaries } from '../../main/core/store/pages';

const dirs: string[] = [];
const tempFile = () => {
  const d = mkdtempSync(join(tmpdir(), 'li-page-summaries-'));
  dirs.push(d);
  return join(d, 'lead-inbox.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Two pages of one account: North with 3 complete, 2 pending (queued) and 1 failed lead; South 1 and 1. */
function seed(db: Database.Database): void {
  db.exec(`
    INSERT INTO accounts(id, name, connected_at) VALUES ('acc', 'Owner', 1);
    INSERT INTO pages(id, account_id, name, enabled) VALUES ('north', 'acc', 'North', 1), ('south', 'acc', 'South', 1);
  `);
  const add = db.prepare(
    `INSERT INTO leads(id, page_id, created_time, received_at, updated_at, state, next_fetch_at)
     VALUES (?, ?, ?, 1, 1, ?, ?)`,
  );
  const states = { north: ['complete', 'complete', 'complete', 'pending', 'pending', 'failed'], south: ['complete', 'failed'] };
  for (const [page, list] of Object.entries(states)) list.forEach((state, i) => add.run(`${page}-${i}`, page, 1_000 + i, state, state === 'pending' ? 10 : null));
}

const counts = (db: Database.Database) =>
  listPageSummaries(db).map((p) => ({ page: p.id, leads: p.leadsCount, pending: p.pendingLeads, failed: p.failedLeads }));

describe('page summaries', () => {
  it("counts each page's leads, and of them those still being fetched and those that failed", () => {
    const db = openDatabase(tempFile());
    seed(db);
    expect(counts(db)).toEqual([
      { page: 'north', leads: 6, pending: 2, failed: 1 },
      { page: 'south', leads: 2, pending: 0, failed: 1 },
    ]);
    // A reconnect fetches the failed ones again: they count as pending until fetched.
    expect(requeueLeadsOfPages(db, ['north'], 5)).toBe(1);
    db.prepare(`UPDATE leads SET state = 'complete' WHERE id = 'north-3'`).run();
    expect(counts(db)).toEqual([
      { page: 'north', leads: 6, pending: 2, failed: 0 },
      { page: 'south', leads: 2, pending: 0, failed: 1 },
    ]);
    db.close();
  });

  it('gives a store from before migration 13 the same counts', () => {
    const file = tempFile();
    const old = new Database(file);
    const before = migrations.filter((m) => m.version < 13);
    for (const m of before) m.up(old);
    old.pragma(`user_version = ${before.at(-1)!.version}`);
    seed(old);
    old.close();
    const db = openDatabase(file);
    expect(counts(db)).toEqual([
      { page: 'north', leads: 6, pending: 2, failed: 1 },
      { page: 'south', leads: 2, pending: 0, failed: 1 },
    ]);
    db.close();
  });
});
