/**
 * Batched search indexing (store/leadSearch.ts, migration 0006): a backfill batch indexes its new
 * leads in set-based statements instead of the per-row trigger. What the owner notices: a lead is
 * found by the inbox search as soon as its batch commits, newest first, exactly as if the trigger
 * had indexed it; a failed batch leaves nothing half-indexed; an older store upgrades.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCounter, listLeads } from '../../main/core/inbox/query';
import { searchSegmentPages } from '../../main/core/inbox/searchUpkeep';
import type { NormalisedLead } from '../../main/core/leads/normalise';
import { openDatabase, schemaVersion, type Db } from '../../main/core/store/db';
import { withBatchedLeadSearch } from '../../main/core/store/leadSearch';
import { prepareLeadUpsert } from '../../main/core/store/leadWrites';
import { migrations } from '../../main/core/store/migrations/index';
import { connectAndEnable, leadRows, startStack, waitFor, type Stack } from './harness';
import { normalisedLead } from './normalisedLead';

const dirs: string[] = [];
const tempFile = () => {
  const d = mkdtempSync(join(tmpdir(), 'li-search-batch-'));
  dirs.push(d);
  return join(d, 'store.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const t0 = 1_790_000_000_000;
const lead = (n: number, createdTime: number, extra: Partial<NormalisedLead> = {}) =>
  normalisedLead(`80${n}`, n, createdTime, extra);

/** Newest first with ties on one created_time, as Meta pages them; ties list the latest arrival first. */
const page = [
  lead(1, t0 + 5_000),
  lead(2, t0 + 2_000),
  lead(3, t0 + 2_000),
  lead(4, t0 + 1_000, { fullName: 'Zoë Öztürk', phone: '+44 20 7946 0958' }),
  lead(5, t0 + 1_000),
];
const alreadyStored = lead(9, t0 + 2_000, { fullName: 'Earlier Arrival' });

const search = (db: Db, query: string) =>
  listLeads(
    db,
    { query, sort: 'created_desc', offset: 0, limit: 50 },
    createCounter(db)({ query }),
  ).rows.map((r) => r.id);

/** The whole search index, as comparable rows: each indexed trigram of each lead, by doc id. */
const index = (db: Db) => {
  db.exec(
    'CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, leads_fts, instance)',
  );
  return db
    .prepare(
      `SELECT l.search_doc, l.id, t.col, t.offset, t.term
         FROM leads l JOIN temp.search_terms t ON t.doc = l.search_doc ORDER BY l.search_doc, t.col, t.offset, t.term`,
    )
    .all();
};

function writePage(db: Db, batched: boolean, rows: NormalisedLead[]): void {
  const upsert = prepareLeadUpsert(db);
  const write = () => rows.forEach((l) => upsert(l, 'p1', t0 + 10_000));
  db.transaction(() => (batched ? withBatchedLeadSearch(db, write) : write()))();
}

describe('batched search indexing of a backfill', () => {
  it('finds every lead of a batch as soon as it commits, newest first, indexed as the trigger would', () => {
    const viaTrigger = openDatabase(tempFile());
    const viaBatch = openDatabase(tempFile());
    for (const db of [viaTrigger, viaBatch]) writePage(db, false, [alreadyStored]);

    writePage(viaTrigger, false, page);
    writePage(viaBatch, true, page);

    expect(search(viaBatch, 'greenhouse')).toEqual(['801', '803', '802', '809', '805', '804']);
    expect(search(viaBatch, 'öztürk')).toEqual(['804']);
    expect(search(viaBatch, '7946 0958')).toEqual(['804']);
    expect(index(viaBatch).length).toBeGreaterThan(page.length * 20);
    expect(index(viaBatch)).toEqual(index(viaTrigger));
    expect(viaBatch.prepare('SELECT count(*) FROM lead_search_deferred').pluck().get()).toBe(0);
    viaBatch.prepare(`INSERT INTO leads_fts(leads_fts, rank) VALUES ('integrity-check', 1)`).run();
    viaTrigger.close();
    viaBatch.close();
  });

  it('writes a 5,000-lead backfill transaction as one search segment, every lead found', () => {
    const db = openDatabase(tempFile());
    const many = Array.from({ length: 5_000 }, (_, i) =>
      lead(10_000 + i, t0 + i * 1_000, { fullName: `Person Q${String(i).padStart(4, '0')}x` }),
    );
    writePage(db, true, many);
    // FTS5 wrote the transaction's terms out once, not each time a MB of them had piled up.
    expect(searchSegmentPages(db)).toHaveLength(1);
    expect(search(db, 'q4999x')).toEqual(['8014999']);
    expect(search(db, 'q0000x')).toEqual(['8010000']);
    db.close();
  });

  it('leaves a backfill’s segments for the upkeep to merge instead of rewriting them as it writes (migration 14)', () => {
    const db = openDatabase(tempFile());
    for (let t = 0; t < 7; t++)
      writePage(
        db,
        true,
        Array.from({ length: 200 }, (_, i) =>
          lead(20_000 + t * 200 + i, t0 + (t * 200 + i) * 1_000, {
            fullName: `Batch${t} Person${i}x`,
          }),
        ),
      );
    // One segment per transaction, none rewritten yet. At FTS5's default (merge at 4) the later
    // transactions were already rewriting the first ones: 8 segments here, one a partial merge.
    expect(searchSegmentPages(db)).toHaveLength(7);
    expect(search(db, 'batch0 person0x')).toEqual(['8020000']);
    expect(search(db, 'batch6 person199x')).toEqual(['8021399']);
    db.prepare(`INSERT INTO leads_fts(leads_fts, rank) VALUES ('integrity-check', 1)`).run();
    db.close();
  });

  it('a lead updated inside the batch that inserted it is indexed once, with its new text', () => {
    const db = openDatabase(tempFile());
    const upsert = prepareLeadUpsert(db);
    db.transaction(() =>
      withBatchedLeadSearch(db, () => {
        upsert(lead(1, t0), 'p1', t0);
        upsert(lead(1, t0, { fullName: 'Renamed Person' }), 'p1', t0);
      }),
    )();
    expect(search(db, 'renamed')).toEqual(['801']);
    expect(db.prepare('SELECT count(*) FROM leads_fts').pluck().get()).toBe(1);
    db.close();
  });

  it('a lead whose created time changes inside the batch that inserted it is found in its new place', () => {
    const db = openDatabase(tempFile());
    const upsert = prepareLeadUpsert(db);
    db.transaction(() =>
      withBatchedLeadSearch(db, () => {
        upsert(lead(1, t0), 'p1', t0);
        upsert(lead(2, t0 + 2_000), 'p1', t0);
        upsert(lead(1, t0 + 5_000), 'p1', t0);
      }),
    )();
    expect(search(db, 'greenhouse')).toEqual(['801', '802']);
    expect(db.prepare('SELECT count(*) FROM leads_fts').pluck().get()).toBe(2);
    db.close();
  });

  it('a lead inserted inside the batch by a statement that gives no doc id gets one and is found', () => {
    const db = openDatabase(tempFile());
    const upsert = prepareLeadUpsert(db);
    db.transaction(() =>
      withBatchedLeadSearch(db, () => {
        upsert(lead(1, t0), 'p1', t0);
        db.prepare(
          `INSERT INTO leads(id, page_id, created_time, received_at, updated_at, state, full_name)
           VALUES ('900', 'p1', ?, ?, ?, 'complete', 'Plain Greenhouse Insert')`,
        ).run(t0, t0, t0);
      }),
    )();
    expect(search(db, 'greenhouse')).toEqual(['900', '801']);
    expect(search(db, 'plain')).toEqual(['900']);
    db.close();
  });

  it('a batch that fails leaves no lead and no index entry behind, and later writes are indexed', () => {
    const db = openDatabase(tempFile());
    const upsert = prepareLeadUpsert(db);
    expect(() =>
      db.transaction(() =>
        withBatchedLeadSearch(db, () => {
          upsert(lead(1, t0), 'p1', t0);
          throw new Error('the page could not be written');
        }),
      )(),
    ).toThrow(/could not be written/);
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM lead_search_deferred').pluck().get()).toBe(0);

    writePage(db, false, [lead(2, t0)]);
    expect(search(db, 'greenhouse')).toEqual(['802']);
    db.close();
  });

  it('takes the insert trigger out only inside its own transaction: other connections always see it, and it is back as it was after a commit or a failure', () => {
    const file = tempFile();
    const db = openDatabase(file);
    const other = new Database(file, { readonly: true });
    const trigger = (conn: Database.Database) =>
      conn
        .prepare(`SELECT sql FROM sqlite_schema WHERE name = 'leads_search_insert'`)
        .pluck()
        .get();
    const before = trigger(db);
    expect(before).toMatch(/^CREATE TRIGGER leads_search_insert AFTER INSERT ON leads/);
    const upsert = prepareLeadUpsert(db);
    const seenInside: unknown[] = [];
    db.transaction(() =>
      withBatchedLeadSearch(db, () => {
        upsert(lead(1, t0), 'p1', t0);
        seenInside.push(trigger(db) ?? null, trigger(other));
      }),
    )();
    // Inside the batch it was gone for the writer only.
    expect(seenInside).toEqual([null, before]);
    expect(trigger(db)).toBe(before);
    expect(() =>
      db.transaction(() =>
        withBatchedLeadSearch(db, () => {
          upsert(lead(2, t0), 'p1', t0);
          throw new Error('the page could not be written');
        }),
      )(),
    ).toThrow(/could not be written/);
    expect(trigger(db)).toBe(before);
    // A lead written outside a batch (a webhook's) is indexed by the trigger as before.
    writePage(db, false, [lead(3, t0, { fullName: 'After The Batch' })]);
    expect(search(db, 'after the batch')).toEqual(['803']);
    expect(search(other as unknown as Db, 'greenhouse')).toEqual(['803', '801']);
    other.close();
    db.close();
  });

  it('refuses to run outside a transaction (the deferral must never outlive one)', () => {
    const db = openDatabase(tempFile());
    expect(() => withBatchedLeadSearch(db, () => undefined)).toThrow(/inside a transaction/);
    db.close();
  });

  it('a store created before migration 6 upgrades, keeps its index and indexes new leads', () => {
    const file = tempFile();
    const old = new Database(file);
    for (const m of migrations.filter((x) => x.version <= 5)) m.up(old);
    old.pragma('user_version = 5');
    // Written as that version's sync did: the row, indexed by its insert trigger.
    old
      .prepare(
        `INSERT INTO leads(id, page_id, form_id, created_time, received_at, updated_at, state, full_name, answers)
         VALUES (?, 'p1', 'f1', ?, ?, ?, 'complete', ?, ?)`,
      )
      .run(
        alreadyStored.id,
        alreadyStored.createdTime,
        t0,
        t0,
        alreadyStored.fullName,
        JSON.stringify(alreadyStored.answers),
      );
    old.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    writePage(db, false, [lead(1, t0 + 5_000)]);
    writePage(db, true, [lead(2, t0 + 2_000)]);
    expect(search(db, 'greenhouse')).toEqual(['801', '802', '809']);
    expect(search(db, 'earlier')).toEqual(['809']);
    db.close();
  });
});

describe('backfill through the simulator', () => {
  let stack: Stack | null = null;
  afterEach(async () => {
    await stack?.close();
    stack = null;
  });

  it('every lead of a page of results is found by search the moment its batch commits', async () => {
    // One commit per page, so the check below runs between several commits.
    stack = await startStack({ tuning: { pageSize: 25, backfillBatchLeads: 25 } });
    const page = stack.sim.control.createPage({ name: 'Search Co', subscribed: false });
    const form = stack.sim.control.createForm({ pageId: page.id });
    const nowS = Math.floor(stack.sim.control.nowMs() / 1000);
    stack.sim.control.createLeads(form.id, 120, { fromS: nowS - 30 * 86_400, toS: nowS - 60 });
    const core = stack.desktop.core;
    const unfound: string[] = [];
    let batches = 0;
    // Runs synchronously right after each batch's commit, before anything else can write.
    core.events.on('sync.progress', (p) => {
      if (p.phase !== 'leads') return;
      batches++;
      const stored = core.db
        .prepare(`SELECT id, email FROM leads WHERE email IS NOT NULL`)
        .all() as {
        id: string;
        email: string;
      }[];
      for (const l of stored) if (!search(core.db, l.email).includes(l.id)) unfound.push(l.id);
    });
    await connectAndEnable(stack);
    await waitFor(() => leadRows(core).length === 120 && batches >= 5, 'the backfill');

    expect(batches).toBeGreaterThanOrEqual(5);
    expect(unfound).toEqual([]);
    expect(core.db.prepare('SELECT count(*) FROM leads_fts').pluck().get()).toBe(120);
  });
});
