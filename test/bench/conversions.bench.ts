/**
 * Conversions and speed to lead: how fast the CAPI sender drains a queue into the simulator's
 * `{dataset}/events` (against raw fetch POSTs of the same batches), and how long Home's
 * speedToLead.stats and one reminder check take on a large store (against a raw SQLite scan).
 */
import { join } from 'node:path';
import { createConversions } from '../../main/core/conversions/index';
import { recordStageChange } from '../../main/core/conversions/queue';
import { buildCapiEvent } from '../../main/core/conversions/payload';
import { dueEvents } from '../../main/core/conversions/queue';
import { readConversionSettings, writeConversionSettings } from '../../main/core/conversions/settings';
import { EventBus } from '../../main/core/events';
import type { TokenStore } from '../../main/core/ports';
import { createSpeedToLead } from '../../main/core/speedToLead/index';
import { openDatabase, type Db } from '../../main/core/store/db';
import { createSimulator } from '../sim/server';
import { median } from './baselines';
import { percentile, type Benchmark, type Figure } from './types';

const logger = { info() {}, warn() {}, error() {} };
const day = 86_400_000;

/** Leads the simulator knows (valid lead ids), mirrored into the local store. */
async function senderRun(dir: string, events: number, run: number): Promise<{ ours: number; raw: number }> {
  const sim = await createSimulator({ appSecret: 'bench' });
  try {
    const page = sim.control.createPage();
    const form = sim.control.createForm({ pageId: page.id });
    const dataset = sim.control.createDataset();
    const db = openDatabase(join(dir, `capi-${run}.sqlite`));
    const now = Date.now();
    db.prepare('INSERT INTO pages (id, name, enabled) VALUES (?, ?, 1)').run(page.id, page.name);
    const insert = db.prepare(
      `INSERT INTO leads (id, page_id, form_id, created_time, received_at, updated_at, state, status)
       VALUES (?, ?, ?, ?, ?, ?, 'complete', 'new')`,
    );
    writeConversionSettings(db, { datasetId: dataset.id });
    db.transaction(() => {
      for (let i = 0; i < events; i++) {
        const l = sim.control.createLead({ formId: form.id, webhook: false, createdTime: Math.floor(now / 1000) - 3600 });
        insert.run(l.id, page.id, form.id, l.createdTime * 1000, now, now);
        recordStageChange(db, l.id, 'qualified', now - 1000);
      }
    })();
    // The same batches as raw HTTP: the ceiling for this simulator on this machine.
    const settings = readConversionSettings(db);
    const bodies: string[] = [];
    const rows = dueEvents(db, now, events);
    for (let i = 0; i < rows.length; i += 1000) {
      bodies.push(JSON.stringify({ data: rows.slice(i, i + 1000).map((r) => buildCapiEvent(r, settings)) }));
    }
    const t0 = performance.now();
    for (const body of bodies) {
      const res = await fetch(`${sim.url}/v25.0/${dataset.id}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${page.accessToken}`, 'content-type': 'application/json' },
        body,
      });
      await res.text();
    }
    const raw = events / ((performance.now() - t0) / 1000);

    const tokens: TokenStore = memoryTokens({ [`page:${page.id}`]: page.accessToken });
    const conversions = createConversions({
      db,
      graphApiUrl: sim.url,
    graphVersion: 'v25.0',
      tokens,
      events: new EventBus(),
      clock: { now: () => now },
      logger,
    });
    const t1 = performance.now();
    await conversions.runOnce();
    const ours = events / ((performance.now() - t1) / 1000);
    const sent = db.prepare("SELECT count(*) FROM capi_events WHERE status = 'sent'").pluck().get();
    if (sent !== events) throw new Error(`only ${String(sent)} of ${events} sent`);
    db.close();
    return { ours, raw };
  } finally {
    await sim.close();
  }
}

/**
 * Benchmarks run without a keychain; the sender only reads one page token, so a map stands in for
 * keytar here (the tests use the real keychain).
 */
function memoryTokens(values: Record<string, string>): TokenStore {
  const m = new Map(Object.entries(values));
  return {
    get: async (a) => m.get(a) ?? null,
    set: async (a, s) => void m.set(a, s),
    delete: async (a) => m.delete(a),
    list: async () => [...m.keys()],
  };
}

function seedStore(db: Db, leads: number, now: number): void {
  db.prepare("INSERT INTO pages (id, name, enabled) VALUES ('p1', 'Bench page', 1)").run();
  for (let f = 0; f < 20; f++) {
    db.prepare("INSERT INTO forms (id, page_id, name, status) VALUES (?, 'p1', ?, 'ACTIVE')").run(`f${f}`, `Form ${f}`);
  }
  const insert = db.prepare(
    `INSERT INTO leads (id, page_id, form_id, created_time, received_at, updated_at, state, status, first_contact_at)
     VALUES (?, 'p1', ?, ?, ?, ?, 'complete', ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < leads; i++) {
      // Spread over 90 days; 70% contacted after 1–240 minutes; the rest still new.
      const created = now - Math.floor(((i * 7919) % leads) / leads * 90 * day);
      const contacted = i % 10 < 7;
      const wait = ((i * 31) % 240) * 60_000 + 60_000;
      insert.run(`${100000000000000 + i}`, `f${i % 20}`, created, created, created, contacted ? 'contacted' : 'new', contacted ? created + wait : null);
    }
  })();
}

const bench: Benchmark = {
  name: 'conversions',
  async run(ctx) {
    const runs = ctx.quick ? 3 : 5;
    const events = ctx.quick ? 2_000 : 5_000;
    const ours: number[] = [];
    const raw: number[] = [];
    for (let r = 0; r < runs; r++) {
      const res = await senderRun(ctx.tmpDir, events, r);
      ours.push(res.ours);
      raw.push(res.raw);
      ctx.log(`capi run ${r + 1}: ${res.ours.toFixed(0)} events/s (raw POST ${res.raw.toFixed(0)})`);
    }

    const leads = ctx.quick ? 100_000 : 1_000_000;
    const now = Date.now();
    const db = openDatabase(join(ctx.tmpDir, 'speed.sqlite'));
    seedStore(db, leads, now);
    const stl = createSpeedToLead({ db, events: new EventBus(), notifier: { notify() {} }, clock: { now: () => now }, logger });
    const statsMs: number[] = [];
    const heldMs: number[] = [];
    const scanMs: number[] = [];
    const reminderMs: number[] = [];
    const scan = db.prepare('SELECT form_id, created_time, first_contact_at FROM leads WHERE created_time >= ?');
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      const held = await longestHold(() => stl.handlers['speedToLead.stats']({ from: now - 90 * day }));
      statsMs.push(performance.now() - t);
      heldMs.push(held);
      t = performance.now();
      scan.all(now - 90 * day);
      scanMs.push(performance.now() - t);
      // Reminders are marked once; clear them so each run does the same work.
      db.prepare('DELETE FROM reminder_sent').run();
      t = performance.now();
      stl.checkReminders();
      reminderMs.push(performance.now() - t);
    }
    db.close();
    const rows = leads.toLocaleString('en-US');
    const figures: Figure[] = [
      {
        name: `CAPI sender: ${events.toLocaleString('en-US')} queued stage changes to the simulator (batches of 1,000)`,
        value: median(ours),
        unit: 'events/s',
        limit: median(raw),
        limit_name: 'raw fetch POSTs of the same batches',
        runs,
        p50: median(ours),
        p99: null,
      },
      {
        name: `speedToLead.stats over 90 days at ${rows} leads (medians overall, per form, per week)`,
        value: median(statsMs),
        unit: 'ms',
        limit: median(scanMs),
        limit_name: 'raw SQLite scan of the same rows',
        runs,
        p50: median(statsMs),
        p99: percentile(statsMs, 99),
      },
      {
        name: `speedToLead.stats at ${rows} leads: longest stretch the core's thread is held (live leads wait this long)`,
        value: median(heldMs),
        unit: 'ms',
        limit: median(statsMs),
        limit_name: 'the whole computation, as one block before it yielded per day',
        runs,
        p50: median(heldMs),
        p99: percentile(heldMs, 99),
      },
      {
        name: `speed-to-lead reminder check at ${rows} leads (first check, due times not cached)`,
        value: median(reminderMs),
        unit: 'ms',
        limit: null,
        limit_name: null,
        runs,
        p50: median(reminderMs),
        p99: percentile(reminderMs, 99),
      },
    ];
    return figures;
  },
};

export default bench;

/** Runs `work` while a setImmediate probe records the longest gap between its turns: the event loop's longest stall. */
async function longestHold(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  let done = false;
  const tick = () => {
    const n = performance.now();
    worst = Math.max(worst, n - last);
    last = n;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  done = true;
  return worst;
}
