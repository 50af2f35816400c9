/**
 * Shared pieces of the relay benchmarks (test/bench/relay*.bench.ts): Meta-shaped signed bodies,
 * an in-process relay with one bound install, and a stream client that acks like a desktop.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { WebSocket } from 'ws';
import { silentLogger } from '../../relay/logger';
import { createRelay, type Relay } from '../../relay/server';
import { signBody } from '../../relay/verify';
import type { BenchContext } from '../bench/types';

export const SECRET = 'bench-secret';
export const root = resolve(fileURLToPath(import.meta.url), '../../..');
const unlimited = { ratePerSec: 1e9, burst: 1e9 };

export const webhook = (body: string) => ({ path: '/webhooks/meta', body, headers: { 'x-hub-signature-256': signBody(body, SECRET) } });

let dirCounter = 0;
export const freshDir = (ctx: BenchContext) => join(ctx.tmpDir, `relay-${dirCounter++}`);

export function leadBody(i: number, sentAt = 0): string {
  return JSON.stringify({
    object: 'page',
    entry: [
      {
        id: 'page-1',
        time: 1732430000,
        changes: [{ field: 'leadgen', value: { leadgen_id: `lead-${i}`, page_id: 'page-1', form_id: 'form-1', created_time: 1732430000, sent_at: sentAt } }],
      },
    ],
  });
}

export function batchBody(first: number, n: number): string {
  const entry = Array.from({ length: n }, (_, k) => (JSON.parse(leadBody(first + k)) as { entry: unknown[] }).entry[0]);
  return JSON.stringify({ object: 'page', entry });
}

export async function relayIn(dataDir: string): Promise<Relay> {
  return createRelay({
    port: 0,
    dataDir,
    appId: 'bench',
    appSecret: SECRET,
    verifyToken: 'v',
    graphApiUrl: 'http://127.0.0.1:9',
    log: silentLogger,
    rateLimits: { webhook: unlimited, public: unlimited },
  });
}

export async function register(url: string): Promise<{ installId: string; bearer: string }> {
  const r = (await (await fetch(`${url}/v1/installs`, { method: 'POST' })).json()) as { installId: string; token: string };
  return { installId: r.installId, bearer: `Bearer ${r.token}` };
}

/** Binds through SQLite directly (proof of access is not what is measured), then restarts the relay. */
export async function relayWithInstall(ctx: BenchContext): Promise<{ relay: Relay; bearer: string; dir: string }> {
  const dir = freshDir(ctx);
  let relay = await relayIn(dir);
  const install = await register(relay.url);
  await relay.close();
  const db = new Database(join(dir, 'relay.sqlite'));
  db.prepare("INSERT INTO bindings (install_id, kind, asset_id, created_at) VALUES (?, 'page', 'page-1', 0)").run(install.installId);
  db.close();
  relay = await relayIn(dir);
  return { relay, bearer: install.bearer, dir };
}

export function connect(url: string, bearer: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/stream`, { headers: { authorization: bearer } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Reads event frames until `count`; acks cumulatively every 64 like a desktop committing in batches. */
export function receiveAll(ws: WebSocket, count: number, hello: boolean): Promise<void> {
  return new Promise((resolve) => {
    let n = 0;
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as { type: string; seq: number };
      if (f.type !== 'event') return;
      n++;
      if (n % 64 === 0 || n === count) ws.send(JSON.stringify({ type: 'ack', seq: f.seq }));
      if (n === count) resolve();
    });
    if (hello) ws.send(JSON.stringify({ type: 'hello', cursor: null }));
  });
}
