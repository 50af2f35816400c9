import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../main/core/store/db';
import { createCounter, listLeads } from '../../main/core/inbox/query';
import { migrations } from '../../main/core/store/migrations/index';
import { customAnswersSql } from '../../main/core/store/migrations/0004-inbox';
import { customAnswersText } from '../../main/core/leads/searchText';

const dirs: string[] = [];
const tempFile = () => {
  const d = mkdtempSync(join(tmpdir(), 'inbox-mig-'));
  dirs.push(d);
  return join(d, 'lead-inbox.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const insertLead = (db: Database.Database, id: string, name: string, phone: string, verb = 'INSERT') =>
  db
    .prepare(
      `${verb} INTO leads(id, page_id, created_time, received_at, updated_at, state, full_name, phone, answers)
       VALUES (?, 'p', 1, 1, 1, 'complete', ?, ?, '[{"key":"q","label":"Project","values":["Loft conversion"]}]')`,
    )
    .run(id, name, phone);
const search = (db: Database.Database, q: string) =>
  db
    .prepare(`SELECT l.id FROM leads_fts JOIN leads l ON l.search_doc = leads_fts.rowid WHERE leads_fts MATCH ? ORDER BY 1`)
    .pluck()
    .all(q);

describe('migration 0004 (inbox search)', () => {
  it('indexes leads that existed before it ran', () => {
    const file = tempFile();
    const old = new Database(file);
    const before = migrations.filter((m) => m.version < 4);
    for (const m of before) m.up(old);
    old.pragma(`user_version = ${before.at(-1)!.version}`);
    insertLead(old, 'a1', 'Zoë Öztürk', '+44 20 7946 0958');
    old.close();
    const db = openDatabase(file);
    migrate(db);
    expect(search(db, '"79460"')).toEqual(['a1']);
    expect(search(db, '"loft"')).toEqual(['a1']);
    db.close();
  });

  it('stays right under every write style the sync may use (insert, upsert, replace, update, delete)', () => {
    const db = openDatabase(tempFile());
    insertLead(db, 'b1', 'Ana Lima', '+55 11 4000 1234');
    db.prepare(
      `INSERT INTO leads(id, page_id, created_time, received_at, updated_at, state, full_name)
       VALUES ('b1', 'p', 1, 1, 1, 'complete', 'Ana Souza')
       ON CONFLICT(id) DO UPDATE SET full_name = excluded.full_name`,
    ).run();
    expect(search(db, '"souza"')).toEqual(['b1']);
    expect(search(db, '"lima"')).toEqual([]);
    insertLead(db, 'b1', 'Ana Costa', '+55 11 4000 9999', 'INSERT OR REPLACE');
    expect(search(db, '"costa"')).toEqual(['b1']);
    expect(search(db, '"souza"')).toEqual([]);
    db.prepare(`UPDATE leads SET phone = '+1 212 555 0000' WHERE id = 'b1'`).run();
    expect(search(db, '"2125550"')).toEqual(['b1']);
    expect(db.prepare('SELECT count(*) FROM leads_fts').pluck().get()).toBe(1);
    db.prepare(`DELETE FROM leads WHERE id = 'b1'`).run();
    expect(db.prepare('SELECT count(*) FROM leads_fts').pluck().get()).toBe(0);
    db.close();
  });
});

describe('migration 0007 (status + platform filter index)', () => {
  it('keeps a store from before it listing and counting a status + platform view the same, newest first', () => {
    const file = tempFile();
    const old = new Database(file);
    const before = migrations.filter((m) => m.version < 7);
    for (const m of before) m.up(old);
    old.pragma(`user_version = ${before.at(-1)!.version}`);
    const add = old.prepare(
      `INSERT INTO leads(id, page_id, created_time, received_at, updated_at, state, platform, status, answers)
       VALUES (?, 'p', ?, 1, 1, 'complete', ?, ?, '[]')`,
    );
    const statuses = ['new', 'qualified', 'won'];
    for (let i = 0; i < 300; i++) add.run(`L${i}`, 1_000 + i, i % 3 === 0 ? 'instagram' : 'facebook', statuses[i % statuses.length]);
    old.close();
    const db = openDatabase(file);
    migrate(db);
    const view = { statuses: ['qualified'], platforms: ['instagram' as const] };
    // i % 3 === 0 is Instagram, i % 3 === 1 is qualified: none is both; i % 3 === 0 with 'new'.
    expect(createCounter(db)(view)).toEqual({ total: 0, capped: false });
    const both = { statuses: ['new', 'won'], platforms: ['instagram' as const] };
    expect(createCounter(db)(both)).toEqual({ total: 100, capped: false });
    const page = listLeads(db, { ...both, sort: 'created_desc', offset: 10, limit: 5 }, createCounter(db)(both));
    expect(page.rows.map((r) => r.id)).toEqual(['L267', 'L264', 'L261', 'L258', 'L255']);
    expect(page.total).toBe(100);
    db.close();
  });
});

describe('migration 0009 (contentless search index)', () => {
  it('finds the leads of a store from before it as before, keeps no copy of their text, and forgets a deleted lead', () => {
    const file = tempFile();
    const old = new Database(file);
    const before = migrations.filter((m) => m.version < 9);
    for (const m of before) m.up(old);
    old.pragma(`user_version = ${before.at(-1)!.version}`);
    insertLead(old, 'c1', 'Zoë Öztürk', '+44 20 7946 0958');
    insertLead(old, 'c2', 'Ana Lima', '+55 11 4000 1234');
    old.close();
    const db = openDatabase(file);
    expect(search(db, '"79460"')).toEqual(['c1']);
    expect(search(db, '"loft"')).toEqual(['c1', 'c2']);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'leads_fts%'`).pluck().all();
    expect(tables).not.toContain('leads_fts_content');
    // Nothing of the lead's text is readable back from the index.
    expect(db.prepare('SELECT name FROM leads_fts WHERE rowid = (SELECT search_doc FROM leads WHERE id = ?)').pluck().get('c1')).toBeNull();
    db.prepare(`DELETE FROM leads WHERE id = 'c1'`).run();
    expect(search(db, '"loft"')).toEqual(['c2']);
    expect(search(db, '"79460"')).toEqual([]);
    db.close();
  });
});

describe('migration 0010 (stored answers search text)', () => {
  const answers = [
    { key: 'full_name', label: 'Full name', values: ['Rita Bauer'] },
    { key: 'email', label: 'Email', values: ['rita@example.com'] },
    { key: 'project', label: 'What is your project?', values: ['Timber pergola'] },
    { key: 'rooms', label: 'Rooms', values: ['kitchen', 'attic'] },
    { key: 'city', label: 'City', values: ['Graz'] },
  ];

  it('keeps the custom answers of older leads searchable after the lead changes', () => {
    const file = tempFile();
    const old = new Database(file);
    const before = migrations.filter((m) => m.version < 10);
    for (const m of before) m.up(old);
    old.pragma(`user_version = ${before.at(-1)!.version}`);
    old
      .prepare(
        `INSERT INTO leads(id, page_id, created_time, received_at, updated_at, state, full_name, answers)
         VALUES ('d1', 'p', 1, 1, 1, 'complete', 'Rita Bauer', ?)`,
      )
      .run(JSON.stringify(answers));
    old
      .prepare(
        `INSERT INTO leads(id, page_id, created_time, received_at, updated_at, state, full_name, answers)
         VALUES ('d2', 'p', 2, 2, 2, 'complete', 'Tom Berg', ?)`,
      )
      .run(JSON.stringify(answers.slice(0, 2)));
    old.close();
    const db = openDatabase(file);
    const texts = db.prepare('SELECT id, search_answers FROM leads ORDER BY id').all();
    expect(texts).toEqual([
      { id: 'd1', search_answers: 'Timber pergola kitchen attic' },
      { id: 'd2', search_answers: null },
    ]);
    expect(search(db, '"pergola"')).toEqual(['d1']);
    // A rename reindexes the lead from its row: the answers' text must be on the row by now.
    db.prepare(`UPDATE leads SET full_name = 'Rita Lang' WHERE id = 'd1'`).run();
    expect(search(db, '"lang"')).toEqual(['d1']);
    expect(search(db, '"pergola"')).toEqual(['d1']);
    expect(search(db, '"attic"')).toEqual(['d1']);
    db.close();
  });

  it('computes the same searched text for custom answers as the SQL rule older stores were indexed with', () => {
    const db = openDatabase(tempFile());
    const sqlRule = (list: unknown) =>
      db.prepare(`SELECT nullif(${customAnswersSql('x')}, '') FROM (SELECT ? AS answers) x`).pluck().get(JSON.stringify(list));
    for (const list of [answers, [], answers.slice(0, 2), [{ key: 'budget', label: 'Budget', values: [] }]])
      expect(customAnswersText(list)).toBe(sqlRule(list));
    expect(customAnswersText(answers)).toBe('Timber pergola kitchen attic');
    db.close();
  });
});

describe('migration 0012 (search doc on the lead)', () => {
  const add = (db: Database.Database, id: string, created: number, name: string) =>
    db
      .prepare(
        `INSERT INTO leads(id, page_id, created_time, received_at, updated_at, state, full_name)
         VALUES (?, 'p', ?, 1, 1, 'complete', ?)`,
      )
      .run(id, created, name);
  const newestFirst = (db: Database.Database, query: string) =>
    listLeads(db, { query, sort: 'created_desc', offset: 0, limit: 50 }, createCounter(db)({ query })).rows.map((r) => r.id);

  it('keeps every lead of an older store at its doc id, found newest first, and indexes what comes after', () => {
    const file = tempFile();
    const old = new Database(file);
    const before = migrations.filter((m) => m.version < 12);
    for (const m of before) m.up(old);
    old.pragma(`user_version = ${before.at(-1)!.version}`);
    add(old, 'e1', 5_000, 'Ana Lima');
    add(old, 'e2', 5_000, 'Ana Costa');
    add(old, 'e3', 7_000, 'Ana Souza');
    const docs = old.prepare('SELECT lead_id, doc FROM lead_search_ids ORDER BY doc').all();
    old.close();

    const db = openDatabase(file);
    expect(db.prepare('SELECT id AS lead_id, search_doc AS doc FROM leads ORDER BY search_doc').all()).toEqual(docs);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'lead_search_ids'`).pluck().get()).toBe(0);
    expect(newestFirst(db, 'ana')).toEqual(['e3', 'e2', 'e1']);

    // A later arrival in the same instant sorts after the earlier ones, as before.
    add(db, 'e4', 5_000, 'Ana Reis');
    expect(newestFirst(db, 'ana')).toEqual(['e3', 'e4', 'e2', 'e1']);
    // A changed created_time moves the lead's doc, so search order follows it.
    db.prepare(`UPDATE leads SET created_time = 9000 WHERE id = 'e1'`).run();
    expect(newestFirst(db, 'ana')).toEqual(['e1', 'e3', 'e4', 'e2']);
    expect(newestFirst(db, 'lima')).toEqual(['e1']);
    expect(db.prepare('SELECT count(*) FROM leads_fts').pluck().get()).toBe(4);
    db.prepare(`INSERT INTO leads_fts(leads_fts, rank) VALUES ('integrity-check', 1)`).run();
    db.close();
  });

  it('an INSERT OR REPLACE that moves a lead to another instant leaves none of its old terms', () => {
    const db = openDatabase(tempFile());
    add(db, 'f1', 5_000, 'Ana Lima');
    db.prepare(
      `INSERT OR REPLACE INTO leads(id, page_id, created_time, received_at, updated_at, state, full_name)
       VALUES ('f1', 'p', 8000, 1, 1, 'complete', 'Ana Costa')`,
    ).run();
    expect(newestFirst(db, 'costa')).toEqual(['f1']);
    expect(search(db, '"lima"')).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM leads_fts').pluck().get()).toBe(1);
    db.close();
  });
});
