import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../main/core/events';
import type { Clock, Logger, NotificationRequest, Notifier } from '../../main/core/ports';
import { openDatabase, type Db } from '../../main/core/store/db';

/** A real SQLite file in a fresh temp folder; `cleanup` closes and deletes it. */
export function tempDb(): { db: Db; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lead-inbox-conv-'));
  const db = openDatabase(join(dir, 'lead-inbox.sqlite'));
  return {
    db,
    dir,
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestLead {
  id: string;
  pageId?: string;
  formId?: string | null;
  createdTime: number;
  email?: string | null;
  phone?: string | null;
  name?: string | null;
  status?: string;
  firstContactAt?: number | null;
}

/** Inserts a complete lead the way sync leaves one (page and form rows included). */
export function insertLead(db: Db, lead: TestLead): void {
  const pageId = lead.pageId ?? '100200300400500';
  db.prepare('INSERT OR IGNORE INTO pages (id, name, enabled) VALUES (?, ?, 1)').run(pageId, 'Acme Kitchens');
  if (lead.formId) {
    db.prepare("INSERT OR IGNORE INTO forms (id, page_id, name, status) VALUES (?, ?, ?, 'ACTIVE')").run(
      lead.formId,
      pageId,
      `Form ${lead.formId}`,
    );
  }
  db.prepare(
    `INSERT INTO leads (id, page_id, form_id, created_time, received_at, updated_at, state, full_name, email, phone, status, first_contact_at)
     VALUES (?, ?, ?, ?, ?, ?, 'complete', ?, ?, ?, ?, ?)`,
  ).run(
    lead.id,
    pageId,
    lead.formId ?? null,
    lead.createdTime,
    lead.createdTime,
    lead.createdTime,
    lead.name ?? 'Dana Example',
    lead.email ?? null,
    lead.phone ?? null,
    lead.status ?? 'new',
    lead.firstContactAt ?? null,
  );
}

/** A clock the test moves by hand: reminders and backoff depend on time, tests must not wait. */
export function manualClock(start: number): Clock & { set(ms: number): void; advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (ms) => (now = ms),
    advance: (ms) => (now += ms),
  };
}

/** Collects what the core asked to show (the Notifier port is filled by the shell in the app). */
export function recordingNotifier(): Notifier & { shown: NotificationRequest[] } {
  const shown: NotificationRequest[] = [];
  return { shown, notify: (n) => shown.push(n) };
}

export const quietLogger: Logger = { info() {}, warn() {}, error() {} };

export function busWithLog(): { events: EventBus; emitted: { name: string; payload: unknown }[] } {
  const events = new EventBus();
  const emitted: { name: string; payload: unknown }[] = [];
  events.onAny((name, payload) => emitted.push({ name, payload }));
  return { events, emitted };
}
