/**
 * Baselines measured in the same run as the figure they bound, so a figure reads as "x of what
 * this machine can do at all" rather than an absolute number from an unknown box:
 * a bare node:http server under the same load generator, a loopback WebSocket round trip, raw
 * batched SQLite inserts and a raw indexed SQLite query.
 */
import Database from 'better-sqlite3';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { runLoad, type LoadRequest, type LoadResult } from './loadgen';
import { percentile } from './types';

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  samples: number;
}

export function latencyOf(ms: number[]): Latency {
  return {
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    samples: ms.length,
  };
}

/** Median of a list of run results (the headline value of a figure). */
export function median(values: number[]): number {
  return percentile(values, 50);
}

/**
 * A node:http server that reads each POST body and answers 200, driven by the same generator
 * and the same requests as the server under test: the ceiling for "accepted per second".
 */
export async function bareHttpBaseline(opts: {
  total: number;
  concurrency: number;
  request(i: number): LoadRequest;
}): Promise<LoadResult> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('EVENT_RECEIVED');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    return await runLoad({ url: `http://127.0.0.1:${port}`, ...opts });
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/** Loopback WebSocket round trip (client → echo server → client), in ms: the floor for delivery latency. */
export async function wsRoundTrip(opts: {
  samples: number;
  payloadBytes?: number;
}): Promise<Latency> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', r));
  wss.on('connection', (s) => s.on('message', (m, isBinary) => s.send(m, { binary: isBinary })));
  const port = (wss.address() as AddressInfo).port;
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const payload = 'x'.repeat(opts.payloadBytes ?? 400);
  const times: number[] = [];
  try {
    for (let i = 0; i < opts.samples; i++) {
      const t0 = performance.now();
      await new Promise<void>((r) => {
        ws.once('message', () => r());
        ws.send(JSON.stringify({ type: 'event', seq: i, raw: payload }));
      });
      times.push(performance.now() - t0);
    }
  } finally {
    ws.close();
    await new Promise((r) => wss.close(r));
  }
  return latencyOf(times);
}

/** Columns of a lead-shaped row; defaults match what a complete lead stores. */
export type RawRow = Record<string, string | number | null>;

export function syntheticLead(i: number): RawRow {
  const t = 1_700_000_000 + i;
  return {
    id: `l${1_000_000_000 + i}`,
    page_id: `p${i % 5}`,
    form_id: `f${i % 50}`,
    created_time: t,
    full_name: `Person ${i}`,
    email: `person${i}@example.com`,
    phone: `+1555${String(i).padStart(7, '0')}`,
    answers: JSON.stringify([{ key: 'budget', label: 'Budget', value: String(i % 7) }]),
  };
}

function openRaw(file: string): Database.Database {
  const db = new Database(file);
  // The same durability, checkpoint and cache settings as the desktop store
  // (main/core/store/db.ts), so the comparison is about the code path, not the settings.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('cache_size = -65536');
  return db;
}

function createRawTable(db: Database.Database, sample: RawRow): string[] {
  const cols = Object.keys(sample);
  db.exec(
    `CREATE TABLE IF NOT EXISTS raw_rows (${cols.map((c, i) => `${c}${i === 0 ? ' TEXT PRIMARY KEY' : ''}`).join(', ')})`,
  );
  return cols;
}

/** Raw batched INSERTs (one transaction per batch) of the given rows: the ceiling for any ingest. */
export function rawInsertRate(opts: {
  dir: string;
  count: number;
  batchSize?: number;
  row?: (i: number) => RawRow;
}): { rowsPerSec: number; durationMs: number } {
  const make = opts.row ?? syntheticLead;
  const db = openRaw(
    join(opts.dir, `raw-insert-${Date.now()}-${Math.random().toString(36).slice(2)}.sqlite`),
  );
  try {
    const cols = createRawTable(db, make(0));
    const insert = db.prepare(
      `INSERT INTO raw_rows (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    );
    const batch = db.transaction((rows: RawRow[]) => {
      for (const r of rows) insert.run(cols.map((c) => r[c] ?? null));
    });
    const size = opts.batchSize ?? 1000;
    const t0 = performance.now();
    for (let start = 0; start < opts.count; start += size) {
      const rows: RawRow[] = [];
      for (let i = start; i < Math.min(opts.count, start + size); i++) rows.push(make(i));
      batch(rows);
    }
    const durationMs = performance.now() - t0;
    return { rowsPerSec: (opts.count * 1000) / durationMs, durationMs };
  } finally {
    db.close();
  }
}

/**
 * Raw indexed query over `rows` lead-shaped rows: a page of 50 by (created_time DESC) at random
 * offsets within the first pages plus point lookups by indexed email. The floor for a lead page query.
 */
export function rawIndexedQuery(opts: { dir: string; rows: number; queries: number }): Latency {
  const db = openRaw(join(opts.dir, `raw-query-${Date.now()}.sqlite`));
  try {
    const cols = createRawTable(db, syntheticLead(0));
    const insert = db.prepare(
      `INSERT INTO raw_rows (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    );
    const fill = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const r = syntheticLead(i);
        insert.run(cols.map((c) => r[c] ?? null));
      }
    });
    for (let i = 0; i < opts.rows; i += 50_000) fill(i, Math.min(opts.rows, i + 50_000));
    db.exec(
      'CREATE INDEX raw_created ON raw_rows(created_time DESC, id); CREATE INDEX raw_email ON raw_rows(email)',
    );
    db.exec('ANALYZE');
    const page = db.prepare(
      'SELECT * FROM raw_rows ORDER BY created_time DESC, id LIMIT 50 OFFSET ?',
    );
    const byEmail = db.prepare('SELECT * FROM raw_rows WHERE email = ?');
    const times: number[] = [];
    for (let q = 0; q < opts.queries; q++) {
      const t0 = performance.now();
      if (q % 2 === 0) page.all((q * 50) % 5_000);
      else byEmail.all(`person${(q * 7919) % opts.rows}@example.com`);
      times.push(performance.now() - t0);
    }
    return latencyOf(times);
  } finally {
    db.close();
  }
}
