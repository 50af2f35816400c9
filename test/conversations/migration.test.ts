import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../main/core/store/db';
import { migrations } from '../../main/core/store/migrations/index';

function plan(db: Database.Database, sql: string, ...args: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((p) => p.detail).join(' | ');
}

describe('migration 0002 (conversations)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('upgrades a version-1 store keeping its leads; Meta ids are unique; hot queries use their indexes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lead-inbox-m2-'));
    dirs.push(dir);
    const db = new Database(join(dir, 'store.sqlite'));
    db.pragma('foreign_keys = ON');
    for (const m of migrations.filter((x) => x.version < 2)) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
    db.prepare(
      `INSERT INTO leads (id, page_id, created_time, received_at, updated_at, state, phone)
       VALUES ('L1', 'P1', 1, 1, 1, 'complete', '+4915112345678')`,
    ).run();

    migrate(db);

    expect(db.prepare('SELECT phone FROM leads WHERE id = ?').pluck().get('L1')).toBe('+4915112345678');
    db.prepare(`INSERT INTO contacts (id, name, created_at) VALUES (1, 'Ana', 1)`).run();
    db.prepare(
      `INSERT INTO threads (id, channel, account_id, participant_id, contact_id, created_at) VALUES ('t1', 'whatsapp', 'p', 'u', 1, 1)`,
    ).run();
    const insert = db.prepare(
      `INSERT INTO messages (thread_id, meta_id, direction, kind, status, sent_at, created_at) VALUES ('t1', 'wamid.1', 'in', 'text', 'received', 1, 1)`,
    );
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare(`INSERT INTO messages (thread_id, direction, kind, status, sent_at, created_at) VALUES ('t1', 'in', 'text', 'maybe', 1, 1)`).run(),
    ).toThrow(/CHECK/);
    // STRICT: a wrong type is an error, not a silent conversion.
    expect(() => db.prepare(`INSERT INTO contacts (name, created_at) VALUES ('x', 'yesterday')`).run()).toThrow(/cannot store TEXT/);

    expect(plan(db, `SELECT * FROM messages WHERE thread_id = ? ORDER BY sent_at DESC, id DESC LIMIT 50`, 't1')).toMatch(
      /USING INDEX messages_thread_time/,
    );
    const list = plan(db, `SELECT * FROM threads t WHERE t.last_message_at IS NOT NULL ORDER BY t.last_message_at DESC, t.id DESC LIMIT 50`);
    expect(list).toMatch(/threads_recent/);
    expect(list).not.toMatch(/TEMP B-TREE/); // the newest page is read in index order, no sort
    expect(
      plan(db, `SELECT * FROM threads t WHERE t.channel = ? AND t.last_message_at IS NOT NULL ORDER BY t.last_message_at DESC, t.id DESC LIMIT 50`, 'whatsapp'),
    ).toMatch(/threads_channel_recent/);
    expect(plan(db, `SELECT lead_id FROM lead_match WHERE phone_e164 = ?`, '+1')).toMatch(/lead_match_phone/);
    expect(plan(db, `SELECT min(next_attempt_at) FROM outbox`)).toMatch(/outbox_due/);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
  });
});
