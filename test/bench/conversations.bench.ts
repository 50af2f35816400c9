/**
 * Conversations: (1) inbound message → `thread.updated` for the open thread, paced at 50 messages/s,
 * measured at the core (relay frame in → event out, through the same frame processor, SQLite commit
 * and publisher the app uses; excludes the relay hop, which relay.bench.ts measures, and React
 * rendering). (2) Opening a 10,000-message thread: threads.get for the newest 50 (input validation,
 * SQL, mapping, output validation and JSON encoding as a transport does), against the raw SQL alone.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { threadMethods } from '../../shared/api/threads';
import { createHarness, messengerEntry, PAGE, T0, userMessage, waEntry, waMessage, waValue } from '../conversations/harness';
import { latencyOf, median } from './baselines';
import type { Benchmark, Figure } from './types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inboundLatency(dir: string, count: number): Promise<number[]> {
  const h = createHarness({ dir });
  h.db.prepare(`INSERT INTO pages(id, name, enabled) VALUES (?, 'Bench page', 1)`).run(PAGE);
  const pending = new Map<string, number>();
  const lat: number[] = [];
  h.bus.on('thread.updated', ({ threadId }) => {
    const t = pending.get(threadId);
    if (t !== undefined) {
      lat.push(performance.now() - t);
      pending.delete(threadId);
    }
  });
  const interval = 1000 / 50;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    // Pace against the schedule, not the previous send, so slow handling shows up as latency.
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const person = String(7_000_000_000_000_000 + (i % 40));
    const at = performance.now();
    if (i % 2 === 0) {
      pending.set(`messenger:${PAGE}:${person}`, at);
      h.feed('page', messengerEntry(userMessage(person, `m_bench_${i}`, T0 + i, { text: `message ${i} from a person asking about prices` })));
    } else {
      const wa = String(491_510_000_000 + (i % 40));
      pending.set(`whatsapp:3000000000000001:${wa}`, at);
      h.feed('whatsapp', waEntry(waValue({ contacts: [{ profile: { name: `Person ${i % 40}` }, wa_id: wa }], messages: [waMessage(wa, `wamid.bench.${i}`, T0 + i * 1000, 'text', { text: { body: `hello ${i}` } })] })));
    }
  }
  await h.close();
  return lat;
}

async function openThread(dir: string, size: number, runs: number): Promise<{ api: number[]; sql: number[]; older: number[] }> {
  const h = createHarness({ dir });
  const person = '7000000000000777';
  h.feed('page', messengerEntry(userMessage(person, 'm_seed', T0, { text: 'seed' })));
  const threadId = `messenger:${PAGE}:${person}`;
  const others = Array.from({ length: 50 }, (_, i) => String(7_100_000_000_000_000 + i));
  for (const o of others) h.feed('page', messengerEntry(userMessage(o, `m_seed_${o}`, T0, { text: 'seed' })));
  const insert = h.db.prepare(
    `INSERT INTO messages(thread_id, meta_id, direction, kind, text, attachments, status, sent_at, created_at)
     VALUES (?, ?, ?, 'text', ?, '[]', ?, ?, ?)`,
  );
  h.db.transaction(() => {
    for (let i = 0; i < size; i++) {
      const out = i % 3 === 0;
      insert.run(threadId, `m_big_${i}`, out ? 'out' : 'in', `message number ${i} with some ordinary length text`, out ? 'read' : 'received', T0 + 1 + i * 1000, T0);
    }
    // Other threads' messages in the same table, so the index has to pick this thread out.
    for (let i = 0; i < size * 5; i++) {
      insert.run(`messenger:${PAGE}:${others[i % others.length]}`, `m_other_${i}`, 'in', 'x', 'received', T0 + i, T0);
    }
  })();
  const raw = h.db.prepare(`SELECT * FROM messages WHERE thread_id = ? ORDER BY sent_at DESC, id DESC LIMIT 50`);
  const api: number[] = [];
  const sql: number[] = [];
  const older: number[] = [];
  const output = threadMethods['threads.get'].output;
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    raw.all(threadId);
    sql.push(performance.now() - t);
    t = performance.now();
    const detail = await h.call('threads.get', { threadId, limit: 50 });
    JSON.stringify(output.parse(detail));
    api.push(performance.now() - t);
    if (detail.messages.length !== 50) throw new Error(`expected 50 messages, got ${detail.messages.length}`);
    t = performance.now();
    await h.call('threads.get', { threadId, limit: 50, before: detail.olderCursor! });
    older.push(performance.now() - t);
  }
  await h.close();
  return { api, sql, older };
}

const bench: Benchmark = {
  name: 'conversations',
  async run(ctx) {
    const runs = ctx.quick ? 3 : 5;
    const count = ctx.quick ? 250 : 1000;
    const all: number[] = [];
    const p50s: number[] = [];
    for (let r = 0; r < runs; r++) {
      const lat = await inboundLatency(mkdtempSync(join(ctx.tmpDir, 'in-')), count);
      all.push(...lat);
      p50s.push(latencyOf(lat).p50);
      ctx.log(`inbound run ${r + 1}: p50 ${latencyOf(lat).p50.toFixed(3)} ms, p99 ${latencyOf(lat).p99.toFixed(3)} ms`);
    }
    const inbound = latencyOf(all);
    const size = 10_000;
    const open = await openThread(mkdtempSync(join(ctx.tmpDir, 'open-')), size, ctx.quick ? 100 : 300);
    const api = latencyOf(open.api);
    const sql = latencyOf(open.sql);
    const older = latencyOf(open.older);
    ctx.log(`open thread: api p50 ${api.p50.toFixed(3)} ms, sql p50 ${sql.p50.toFixed(3)} ms`);
    const figures: Figure[] = [
      {
        name: 'conversations: inbound message → thread.updated at 50 msg/s (core: relay frame committed + event emitted; Messenger and WhatsApp mixed)',
        value: median(p50s),
        unit: 'ms',
        limit: null,
        limit_name: null,
        runs: inbound.samples,
        p50: inbound.p50,
        p99: inbound.p99,
      },
      {
        name: `conversations: open a ${size.toLocaleString('en-US')}-message thread, newest 50 through threads.get (validate, SQL, map, encode)`,
        value: api.p50,
        unit: 'ms',
        limit: sql.p50,
        limit_name: 'raw SQL: newest 50 rows of the thread, same index',
        runs: api.samples,
        p50: api.p50,
        p99: api.p99,
      },
      {
        name: `conversations: next 50 older messages of the ${size.toLocaleString('en-US')}-message thread (keyset cursor)`,
        value: older.p50,
        unit: 'ms',
        limit: sql.p50,
        limit_name: 'raw SQL: newest 50 rows of the thread, same index',
        runs: older.samples,
        p50: older.p50,
        p99: older.p99,
      },
    ];
    return figures;
  },
};

export default bench;
