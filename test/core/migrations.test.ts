import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../../main/core/store/db';
import { m0001 } from '../../main/core/store/migrations/0001-leads';
import { migrations } from '../../main/core/store/migrations/index';
import { getLeadDetail } from '../../main/core/store/leads';

const dirs: string[] = [];
const tempFile = () => {
  const d = mkdtempSync(join(tmpdir(), 'li-mig-'));
  dirs.push(d);
  return join(d, 'store.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('store migrations', () => {
  it('an empty database gets every table and the latest user_version', () => {
    const db = openDatabase(tempFile());
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    const tables = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'accounts',
        'pages',
        'forms',
        'leads',
        'lead_tags',
        'kv',
        'whatsapp_numbers',
      ]),
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('a database from the first release keeps its leads when later migrations run', () => {
    const file = tempFile();
    const old = new Database(file);
    old.transaction(() => {
      m0001.up(old);
      old.pragma('user_version = 1');
    })();
    old.prepare(`INSERT INTO pages (id, name, enabled) VALUES ('9', 'Old Page', 1)`).run();
    old
      .prepare(
        `INSERT INTO leads (id, page_id, created_time, received_at, updated_at, state, full_name, email, answers)
       VALUES ('123', '9', 1000, 1000, 1000, 'complete', 'Kept Person', 'kept@example.com', '[{"key":"email","label":"Email","values":["kept@example.com"]}]')`,
      )
      .run();
    old.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    const lead = getLeadDetail(db, '123');
    expect(lead).toMatchObject({
      name: 'Kept Person',
      email: 'kept@example.com',
      pageName: 'Old Page',
      state: 'complete',
    });
    expect(lead!.answers).toEqual([{ key: 'email', label: 'Email', values: ['kept@example.com'] }]);
    // Running migrate again is a no-op.
    expect(migrate(db)).toBe(migrations.at(-1)!.version);
    db.close();
  });

  it('refuses a database written by a newer version instead of guessing', () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer Lead Inbox/);
  });
});
