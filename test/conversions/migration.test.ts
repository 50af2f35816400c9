import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../main/core/store/db';
import { migrations } from '../../main/core/store/migrations/index';

describe('migration 0003 (conversions)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('upgrades a store from the version before it, keeping leads, and enforces one event per stage', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lead-inbox-m3-'));
    dirs.push(dir);
    const db = new Database(join(dir, 'store.sqlite'));
    db.pragma('foreign_keys = ON');
    for (const m of migrations.filter((x) => x.version < 3)) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
    db.prepare(
      `INSERT INTO leads (id, page_id, created_time, received_at, updated_at, state, status)
       VALUES ('L1', 'P1', 1, 1, 1, 'complete', 'qualified')`,
    ).run();

    migrate(db);

    expect(db.prepare('SELECT status FROM leads WHERE id = ?').pluck().get('L1')).toBe('qualified');
    const insert = db.prepare(
      `INSERT INTO capi_events (lead_id, stage, event_name, event_time, next_attempt_at, created_at)
       VALUES ('L1', 'qualified', 'Qualified', 2, 2, 2)`,
    );
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
    // The sender's due query reads the partial index, not the whole table.
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT * FROM capi_events e WHERE e.status = 'pending' AND e.next_attempt_at <= 5
          ORDER BY e.next_attempt_at, e.id LIMIT 10`,
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/capi_events_due/);
    // Home's speed-to-lead query reads only the covering index.
    const speedPlan = db
      .prepare('EXPLAIN QUERY PLAN SELECT form_id, created_time, first_contact_at FROM leads WHERE created_time >= 0 AND created_time < 9')
      .all() as { detail: string }[];
    expect(speedPlan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX leads_created/);
    // Deleting a lead (owner deletes data) takes its queue, first contact and reminder rows with it.
    db.prepare("INSERT INTO first_contact (lead_id, at, via) VALUES ('L1', 3, 'call')").run();
    db.prepare("INSERT INTO reminder_sent (lead_id, at) VALUES ('L1', 3)").run();
    db.prepare("DELETE FROM leads WHERE id = 'L1'").run();
    for (const t of ['capi_events', 'first_contact', 'reminder_sent']) {
      expect(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()).toBe(0);
    }
    db.close();
  });
});
