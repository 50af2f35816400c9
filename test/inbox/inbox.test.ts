import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch } from '../../main/core/api/dispatch';
import { EventBus } from '../../main/core/events';
import { createInbox } from '../../main/core/inbox/index';
import { buildWhere, createCounter, listLeads, listLeadsCounted } from '../../main/core/inbox/query';
import { openDatabase, type Db } from '../../main/core/store/db';
import type { NotificationRequest } from '../../main/core/ports';
import { defaultSettings, type EventName, type Settings } from '../../shared/index';
import { sampleLeads, seedLeads } from '../ui/seed';

let dir: string;
let db: Db;
let events: EventBus;
let notified: NotificationRequest[];
let seen: { name: EventName; payload: unknown }[];
let now = Date.UTC(2026, 10, 24, 12);
let inbox: ReturnType<typeof createInbox>;

async function call(method: string, input: unknown = {}) {
  const dispatch = createDispatch(inbox.handlers as never);
  return dispatch(method, input);
}
async function value<T = never>(method: string, input: unknown = {}): Promise<T> {
  const r = await call(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}
const ids = (r: { rows: { id: string }[] }) => r.rows.map((x) => x.id);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inbox-test-'));
  db = openDatabase(join(dir, 'lead-inbox.sqlite'));
  events = new EventBus();
  notified = [];
  seen = [];
  events.onAny((name, payload) => seen.push({ name, payload }));
  inbox = createInbox({
    db,
    events,
    notifier: { notify: (n) => notified.push(n) },
    clock: { now: () => now },
    logger: { info() {}, warn() {}, error() {} },
    dataDir: dir,
  });
  seedLeads(db, sampleLeads(), now);
});
afterEach(() => {
  inbox.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('search', () => {
  it('finds a lead by a phone fragment, with or without punctuation', async () => {
    expect(ids(await value('leads.list', { query: '550142' }))).toEqual(['9001']);
    expect(ids(await value('leads.list', { query: '555-0142' }))).toEqual(['9001']);
    expect(ids(await value('leads.list', { query: '98450' }))).toEqual(['9005']);
  });
  it('finds a lead by a custom answer, a name in any script, a city', async () => {
    expect(ids(await value('leads.list', { query: 'invisalign' }))).toEqual(['9001']);
    expect(ids(await value('leads.list', { query: 'Marathon' }))).toEqual(['9004']);
    expect(ids(await value('leads.list', { query: '山田' }))).toEqual(['9003']);
    expect(ids(await value('leads.list', { query: 'København' }))).toEqual(['9002']);
  });
  it('requires every word, and keeps up with edits and deletes', async () => {
    expect(ids(await value('leads.list', { query: 'example.com amelia' }))).toEqual(['9001']);
    expect(ids(await value('leads.list', { query: 'example.com priya' }))).toEqual([]);
    db.prepare("UPDATE leads SET full_name = 'Amelia Stone' WHERE id = '9001'").run();
    expect(ids(await value('leads.list', { query: 'stone' }))).toEqual(['9001']);
    db.prepare("DELETE FROM leads WHERE id = '9001'").run();
    expect(ids(await value('leads.list', { query: 'stone' }))).toEqual([]);
  });
  it('sorts matches by date and pages them by keyset like the full list', async () => {
    const all = ids(await value('leads.list', { query: 'example', limit: 10 }));
    expect(all).toEqual(['9001', '9002', '9003', '9004', '9005', '9006']);
    const first = await value<{ rows: { id: string }[]; next: { key: number; id: string }; total: number }>('leads.list', { query: 'example', limit: 4 });
    expect(first.total).toBe(6);
    const rest = await value<{ rows: { id: string }[] }>('leads.list', { query: 'example', limit: 4, after: first.next });
    expect([...ids(first), ...ids(rest)]).toEqual(all);
    expect(ids(await value('leads.list', { query: 'example', sort: 'created_asc', limit: 2, offset: 1 }))).toEqual(['9005', '9004']);
    db.prepare("UPDATE leads SET created_time = created_time + 3600000 WHERE id = '9006'").run();
    expect(ids(await value('leads.list', { query: 'example', limit: 1 }))).toEqual(['9006']);
  });
  it('counts a broad search only up to the cap and says the total is a lower bound', () => {
    const count = createCounter(db, 4);
    expect(count({ query: 'example' })).toEqual({ total: 4, capped: true });
    expect(count({ query: '550142' })).toEqual({ total: 1, capped: false });
    // With a filter the count is exact (it walks the filtered rows anyway).
    expect(count({ query: 'example', uncontacted: true })).toMatchObject({ capped: false });
    expect(listLeads(db, { query: 'example', sort: 'created_desc', offset: 0, limit: 2 }, count({ query: 'example' }))).toMatchObject({ total: 4, totalCapped: true });
  });
  it('answers the first page of a search and its count in one pass, the same as counting and listing apart', () => {
    // Leads of the same millisecond get search doc ids past 2^53 that differ in their low bits.
    seedLeads(db, [1, 2, 3].map((i) => ({ id: `twin${i}`, name: `Twin ${i}`, createdTime: now - 1_000 })), now);
    for (const [query, cap] of [['example', 4], ['example', 100], ['550142', 4], ['zzzz', 4], ['Twin', 2], ['Twin', 10]] as const) {
      for (const sort of ['created_desc', 'created_asc'] as const) {
        const q = { query, sort, offset: 0, limit: 2 };
        const apart = listLeads(db, q, createCounter(db, cap)(q));
        const counter = createCounter(db, cap);
        const once = listLeadsCounted(db, q, counter);
        expect(once).toEqual(apart);
        // The count it took is kept for the next pages of the same search.
        expect(counter.cached(buildWhere(q))).toEqual({ total: apart.total, capped: apart.totalCapped === true });
        if (once.next) expect(listLeadsCounted(db, { ...q, after: once.next }, counter)).toEqual(listLeads(db, { ...q, after: once.next }, counter(q)));
      }
    }
  });
  it('treats quotes and FTS operators as text, not syntax', async () => {
    const r = await call('leads.list', { query: '"NEAR( OR * -' });
    expect(r.ok).toBe(true);
  });
});

describe('filters, sort and paging', () => {
  it('combines filters across kinds and counts what matches', async () => {
    const r = await value<{ rows: { id: string }[]; total: number }>('leads.list', { platforms: ['instagram'], tags: ['vip'] });
    expect(ids(r).sort()).toEqual(['9002', '9004']);
    const narrower = await value<{ rows: { id: string }[]; total: number }>('leads.list', { platforms: ['instagram'], tags: ['vip'], pageIds: ['102'] });
    expect(ids(narrower)).toEqual(['9004']);
    expect(narrower.total).toBe(1);
    expect(ids(await value('leads.list', { statuses: ['contacted'], query: 'hanako' }))).toEqual(['9003']);
    expect(ids(await value('leads.list', { from: now - 150_000, to: now + 1 })).sort()).toEqual(['9001', '9002', '9003']);
  });
  it('pages by keyset the same as by offset', async () => {
    const all = ids(await value('leads.list', { limit: 6 }));
    const first = await value<{ rows: { id: string }[]; next: { key: number; id: string } }>('leads.list', { limit: 2 });
    const second = await value<{ rows: { id: string }[] }>('leads.list', { limit: 2, after: first.next });
    expect([...ids(first), ...ids(second)]).toEqual(all.slice(0, 4));
    expect(ids(await value('leads.list', { limit: 2, offset: 2 }))).toEqual(all.slice(2, 4));
    expect(ids(await value('leads.list', { sort: 'created_asc', limit: 6 }))).toEqual([...all].reverse());
  });
  it('refuses bad input with a clear error', async () => {
    const r = await call('leads.list', { limit: 100000 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid_input');
  });
});

describe('owner edits', () => {
  it('moves leads through stages with history and events; an unknown stage changes nothing', async () => {
    expect(await value('leads.setStatus', { ids: ['9001', '9002'], status: 'qualified' })).toEqual({ updated: 2 });
    expect(seen.filter((e) => e.name === 'lead.updated')).toHaveLength(2);
    const history = await value<{ field: string; from: string; to: string }[]>('leads.history', { id: '9001' });
    expect(history[0]).toMatchObject({ field: 'status', from: 'new', to: 'qualified' });
    const bad = await call('leads.setStatus', { ids: ['9001'], status: 'nonsense' });
    expect(bad.ok).toBe(false);
    expect(db.prepare("SELECT status FROM leads WHERE id = '9001'").pluck().get()).toBe('qualified');
  });
  it('uses the edited stage list', async () => {
    await value('stages.set', { stages: ['new', 'called', 'booked'] });
    expect(await value('leads.setStatus', { ids: ['9001'], status: 'booked' })).toEqual({ updated: 1 });
    expect((await call('stages.set', { stages: ['a', 'A'] })).ok).toBe(false);
  });
  it('tags, notes and a follow-up that reminds once when due', async () => {
    await value('leads.tag', { ids: ['9001'], add: ['hot'] });
    expect(ids(await value('leads.list', { tags: ['hot'] }))).toEqual(['9001']);
    await value('leads.setNotes', { id: '9001', notes: 'Call after 5pm' });
    await value('leads.setFollowUp', { id: '9001', at: now + 60_000 });
    expect(notified).toHaveLength(0);
    now += 61_000;
    inbox.start();
    inbox.stop();
    expect(notified).toMatchObject([{ route: 'lead/9001', title: 'Follow-up due' }]);
    expect(seen.some((e) => e.name === 'notification.requested')).toBe(true);
    inbox.start();
    inbox.stop();
    expect(notified).toHaveLength(1);
  });
});

describe('follow-up reminders and the owner\'s notification settings', () => {
  const withSettings = (patch: (s: Settings) => void) => {
    const s = structuredClone(defaultSettings);
    patch(s);
    inbox.stop();
    inbox = createInbox({ db, events, notifier: { notify: (n) => notified.push(n) }, clock: { now: () => now }, logger: { info() {}, warn() {}, error() {} }, dataDir: dir, settings: () => s });
    return s;
  };
  it('waits out quiet hours, then reminds', async () => {
    const local = new Date(now);
    const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    const s = withSettings((x) => (x.notifications.quietHours = { enabled: true, start: hhmm(new Date(local.getTime() - 3600_000)), end: hhmm(new Date(local.getTime() + 3600_000)) }));
    await value('leads.setFollowUp', { id: '9001', at: now - 1000 });
    expect(notified).toHaveLength(0);
    s.notifications.quietHours.enabled = false;
    await value('leads.setFollowUp', { id: '9001', at: now - 500 });
    expect(notified).toHaveLength(1);
  });
  it('hides the name when previews are off and stays silent when notifications are off', async () => {
    withSettings((x) => (x.notifications.previews = false));
    await value('leads.setFollowUp', { id: '9001', at: now - 1000 });
    expect(notified[0]?.body).toBe('Time to get back to a lead.');
    withSettings((x) => (x.notifications.enabled = false));
    await value('leads.setFollowUp', { id: '9002', at: now - 1000 });
    expect(notified).toHaveLength(1);
  });
});

describe('views, stats, export', () => {
  it('saves views with unique names', async () => {
    const v = await value<{ id: number }>('views.save', { name: 'VIP', filter: { tags: ['vip'] }, sort: 'name_asc', columns: ['name'] });
    expect(await value('views.list')).toEqual([{ id: v.id, name: 'VIP', filter: { tags: ['vip'] }, sort: 'name_asc', columns: ['name'] }]);
    const clash = await call('views.save', { name: 'VIP', filter: {}, sort: 'created_desc', columns: [] });
    expect(clash.ok).toBe(false);
  });
  it('counts leads per day and speed to lead', async () => {
    db.prepare("UPDATE leads SET first_contact_at = created_time + 300000 WHERE id = '9001'").run();
    const s = await value<{ newToday: number; uncontacted: number; days: string[]; series: { counts: number[] }[]; speedToLead: { medianMs: number } }>(
      'home.stats',
      { days: 30, groupBy: 'page' },
    );
    expect(s.newToday).toBe(6);
    expect(s.uncontacted).toBe(5);
    expect(s.days.at(-1)).toBe('2026-11-24');
    expect(s.series.reduce((n, x) => n + (x.counts.at(-1) ?? 0), 0)).toBe(6);
    expect(s.speedToLead.medianMs).toBe(300000);
  });
  it('streams a filtered view to a valid CSV', async () => {
    const { exportId, file } = await value<{ exportId: string; file: string }>('export.start', { format: 'csv', filter: { pageIds: ['101'] } });
    await new Promise<void>((resolve) => {
      const off = events.on('export.progress', (p) => p.exportId === exportId && p.done && (off(), resolve()));
    });
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,created_time,page,form,platform,name,email,phone,company,city,status,tags,first_contact_at,follow_up_at,notes,answers');
    expect(lines).toHaveLength(5);
    expect(text).toContain('"+1 (415) 555-0142"'.replace(/"/g, ''));
    expect(text).toContain('山田 花子');
  });
});
