/**
 * Search index upkeep (inbox/searchUpkeep.ts): after many small commits the index is merged into
 * one segment, searches find exactly the same leads before and after, and nothing is merged while
 * a sync is writing or when the extra segments are too small to matter. Real SQLite on disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../main/core/events';
import { createCounter, listLeads } from '../../main/core/inbox/query';
import {
  createSearchUpkeep,
  searchIndexNeedsMerge,
  searchSegmentPages,
  type SearchUpkeep,
} from '../../main/core/inbox/searchUpkeep';
import { openDatabase, type Db } from '../../main/core/store/db';
import { defaultTuning } from '../../main/core/tuning';
import { seedLeads, type SeedLead } from '../ui/seed';

let dir: string;
let db: Db;
let events: EventBus;
let upkeep: SearchUpkeep;
const now = Date.UTC(2026, 10, 24, 12);
const names = ['Amelia Hart', 'Søren Kierkegård', '山田 花子', 'Omar Haddad', 'Chloé Dubois'];

/** Leads written as live leads arrive: one small commit each, one FTS5 segment each. */
function arriveOneByOne(from: number, count: number): void {
  for (let i = from; i < from + count; i++) {
    const lead: SeedLead = {
      id: String(10_000 + i),
      name: `${names[i % names.length]} ${i}`,
      email: `lead${i}@example.com`,
      phone: `+1 415 555 ${String(i).padStart(4, '0')}`,
      city: i % 2 ? 'Lyon' : 'Austin',
      answers: [
        { key: 'project', label: 'Project', values: [i % 3 ? 'Kitchen remodel' : 'Roof repair'] },
      ],
      createdTime: now - i * 60_000,
    };
    seedLeads(db, [lead], now);
  }
}

const found = (query: string) =>
  listLeads(
    db,
    { query, sort: 'created_desc', offset: 0, limit: 500 },
    createCounter(db)({ query }),
  ).rows.map((r) => r.id);
const queries = [
  'Amelia',
  'kierkeg',
  '山田',
  '555 0042',
  'Kitchen',
  'roof repair',
  'lead1',
  'Lyon',
];

function start(tuning: Partial<typeof defaultTuning.searchUpkeep> = {}) {
  upkeep = createSearchUpkeep({
    db,
    events,
    logger: { info() {}, warn() {}, error() {} },
    tuning: { ...defaultTuning.searchUpkeep, minPages: 1, minGapMs: 0, ...tuning },
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'search-upkeep-'));
  db = openDatabase(join(dir, 'lead-inbox.sqlite'));
  events = new EventBus();
});
afterEach(() => {
  upkeep?.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('search index upkeep', () => {
  it('merges an index left in many segments into one, and every search finds the same leads', async () => {
    arriveOneByOne(0, 400);
    const before = searchSegmentPages(db);
    expect(before.length).toBeGreaterThan(1);
    const results = queries.map(found);
    expect(results.every((r) => r.length > 0)).toBe(true);

    start({ slicePages: 4 });
    const r = await upkeep.settle();

    expect(r).toMatchObject({ merged: true, segmentsBefore: before.length });
    expect(r.slices).toBeGreaterThan(1);
    expect(searchSegmentPages(db)).toHaveLength(1);
    expect(queries.map(found)).toEqual(results);
    // Still a working index: a lead written afterwards is found.
    arriveOneByOne(400, 1);
    expect(found('lead400')).toEqual(['10400']);
  });

  it('leaves the index alone when the segments besides the largest are small', async () => {
    arriveOneByOne(0, 400);
    start();
    await upkeep.settle();
    arriveOneByOne(400, 2);
    const pages = searchSegmentPages(db);
    expect(pages.length).toBeGreaterThan(1);
    expect(searchIndexNeedsMerge(pages)).toBe(false);

    const changes = db.prepare('SELECT total_changes()').pluck().get();
    expect(await upkeep.settle()).toMatchObject({ merged: false, slices: 0 });
    expect(db.prepare('SELECT total_changes()').pluck().get()).toBe(changes);
    expect(searchSegmentPages(db)).toEqual(pages);
  });

  it('waits until a sync has stopped writing before it merges', async () => {
    arriveOneByOne(0, 200);
    start({ quietMs: 400 });
    events.emit('sync.progress', {
      pageId: '101',
      phase: 'leads',
      formId: null,
      leads: 500,
      error: null,
    });
    const settled = upkeep.settle();
    await new Promise((r) => setTimeout(r, 200));
    expect(searchSegmentPages(db).length).toBeGreaterThan(1);
    expect(await settled).toMatchObject({ merged: true });
    expect(searchSegmentPages(db)).toHaveLength(1);
  });

  it('runs by itself after start, on its timer', async () => {
    arriveOneByOne(0, 200);
    start({ firstCheckMs: 50 });
    upkeep.start();
    const deadline = Date.now() + 10_000;
    while (searchSegmentPages(db).length > 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    expect(searchSegmentPages(db)).toHaveLength(1);
  });
});
