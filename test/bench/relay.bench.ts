/**
 * The relay's four figures (issue 3), each beside a limit measured in the same run:
 * durable webhook accepts/s vs a bare node:http server; POST → install latency at 200 events/s vs a
 * loopback WebSocket round trip; offline replay rate vs the same frames pushed by a bare ws server;
 * RSS of a relay process holding 2,000 idle installs vs the same process with none.
 */
import { spawn } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { silentLogger } from '../../relay/logger';
import { createRelay, type Relay } from '../../relay/server';
import { signBody } from '../../relay/verify';
import { bundleRelay } from '../../relay/bundle';
import { bareHttpBaseline, latencyOf, median, wsRoundTrip } from './baselines';
import { runLoad } from './loadgen';
import type { BenchContext, Benchmark, Figure } from './types';

const SECRET = 'bench-secret';
const root = resolve(fileURLToPath(import.meta.url), '../../..');
const unlimited = { ratePerSec: 1e9, burst: 1e9 };

function leadBody(i: number, sentAt = 0): string {
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

const webhook = (body: string) => ({ path: '/webhooks/meta', body, headers: { 'x-hub-signature-256': signBody(body, SECRET) } });

let dirCounter = 0;
const freshDir = (ctx: BenchContext) => join(ctx.tmpDir, `relay-${dirCounter++}`);

async function relayIn(dataDir: string): Promise<Relay> {
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

async function register(url: string): Promise<{ installId: string; bearer: string }> {
  const r = (await (await fetch(`${url}/v1/installs`, { method: 'POST' })).json()) as { installId: string; token: string };
  return { installId: r.installId, bearer: `Bearer ${r.token}` };
}

/** Binds through SQLite directly (proof of access is not what is measured), then restarts the relay. */
async function relayWithInstall(ctx: BenchContext): Promise<{ relay: Relay; bearer: string; dir: string }> {
  const dir = freshDir(ctx);
  let relay = await relayIn(dir);
  const install = await register(relay.url);
  await relay.close();
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(dir, 'relay.sqlite'));
  db.prepare("INSERT INTO bindings (install_id, kind, asset_id, created_at) VALUES (?, 'page', 'page-1', 0)").run(install.installId);
  db.close();
  relay = await relayIn(dir);
  return { relay, bearer: install.bearer, dir };
}

function connect(url: string, bearer: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/stream`, { headers: { authorization: bearer } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function throughput(ctx: BenchContext, runs: number): Promise<Figure> {
  const total = ctx.quick ? 5_000 : 20_000;
  const bodies = Array.from({ length: total }, (_, i) => webhook(leadBody(i)));
  const relayRates: number[] = [];
  const bareRates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const relay = await relayIn(freshDir(ctx));
    const res = await runLoad({ url: relay.url, total, concurrency: 32, request: (i) => bodies[i]! });
    await relay.close();
    if (res.ok !== total) throw new Error(`relay answered ${JSON.stringify(res.statuses)}`);
    relayRates.push(res.okPerSec);
    const bare = await bareHttpBaseline({ total, concurrency: 32, request: (i) => bodies[i]! });
    bareRates.push(bare.okPerSec);
    ctx.log(`accept run ${r + 1}: relay ${res.okPerSec.toFixed(0)}/s, bare ${bare.okPerSec.toFixed(0)}/s`);
  }
  return {
    name: 'relay: signed webhook POSTs durably accepted (fsync before 200, 32 in flight)',
    value: median(relayRates),
    unit: 'events/s',
    limit: median(bareRates),
    limit_name: 'bare node:http server answering 200 to the same requests',
    runs,
    p50: null,
    p99: null,
  };
}

async function latency(ctx: BenchContext, runs: number): Promise<Figure> {
  const perRun = ctx.quick ? 400 : 2_000;
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const { relay, bearer } = await relayWithInstall(ctx);
    const ws = await connect(relay.url, bearer);
    const got = new Map<number, number>();
    let done: () => void = () => {};
    const all = new Promise<void>((resolve) => (done = resolve));
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as { type: string; seq: number; raw: string };
      if (f.type !== 'event') return;
      const v = (JSON.parse(f.raw) as { changes: { value: { sent_at: number } }[] }).changes[0]!.value;
      got.set(f.seq, performance.now() - v.sent_at);
      ws.send(JSON.stringify({ type: 'ack', seq: f.seq }));
      if (got.size === perRun) done();
    });
    ws.send(JSON.stringify({ type: 'hello', cursor: null }));
    await runLoad({
      url: relay.url,
      total: perRun,
      concurrency: 8,
      ratePerSec: 200,
      request: (i) => webhook(leadBody(i, performance.now())),
    });
    await all;
    samples.push(...got.values());
    ws.close();
    await relay.close();
  }
  const rtt = await wsRoundTrip({ samples: ctx.quick ? 1_000 : 5_000 });
  const lat = latencyOf(samples);
  ctx.log(`delivery p50 ${lat.p50.toFixed(2)} ms, p99 ${lat.p99.toFixed(2)} ms; ws rtt p99 ${rtt.p99.toFixed(3)} ms`);
  return {
    name: 'relay: webhook POST → event frame at the install, steady 200 events/s (p99)',
    value: lat.p99,
    unit: 'ms',
    limit: rtt.p99,
    limit_name: 'loopback WebSocket round trip p99',
    runs,
    p50: lat.p50,
    p99: lat.p99,
  };
}

async function replay(ctx: BenchContext, runs: number): Promise<Figure> {
  const queued = 10_000;
  const rates: number[] = [];
  const bareRates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const { relay, bearer } = await relayWithInstall(ctx);
    const load = await runLoad({ url: relay.url, total: queued / 10, concurrency: 32, request: (i) => webhook(batchBody(i * 10, 10)) });
    if (load.ok !== queued / 10) throw new Error('queueing failed');
    const ws = await connect(relay.url, bearer);
    const t0 = performance.now();
    await receiveAll(ws, queued, true);
    rates.push((queued * 1000) / (performance.now() - t0));
    ws.close();
    await relay.close();
    bareRates.push(await barePush(queued));
    ctx.log(`replay run ${r + 1}: relay ${rates.at(-1)!.toFixed(0)}/s, bare ws push ${bareRates.at(-1)!.toFixed(0)}/s`);
  }
  return {
    name: 'relay: offline replay of 10,000 queued events to a reconnecting install (acking as it goes)',
    value: median(rates),
    unit: 'events/s',
    limit: median(bareRates),
    limit_name: 'bare ws server pushing the same 10,000 frames',
    runs,
    p50: null,
    p99: null,
  };
}

function batchBody(first: number, n: number): string {
  const entry = Array.from({ length: n }, (_, k) => (JSON.parse(leadBody(first + k)) as { entry: unknown[] }).entry[0]);
  return JSON.stringify({ object: 'page', entry });
}

/** Reads event frames until `count`; acks cumulatively every 64 like a desktop committing in batches. */
function receiveAll(ws: WebSocket, count: number, hello: boolean): Promise<void> {
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

/** The same number of event-sized frames pushed by a bare ws server with no storage behind it. */
async function barePush(count: number): Promise<number> {
  const raw = JSON.stringify((JSON.parse(leadBody(1)) as { entry: unknown[] }).entry[0]);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', r));
  wss.on('connection', (s) => {
    for (let i = 1; i <= count; i++) s.send(JSON.stringify({ type: 'event', seq: i, receivedAt: 0, object: 'page', kind: 'page', assetId: 'page-1', raw }));
  });
  const t0 = performance.now();
  const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  await receiveAll(ws, count, false);
  const rate = (count * 1000) / (performance.now() - t0);
  ws.close();
  await new Promise((r) => wss.close(r));
  return rate;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * The relay as hosted: the bundled build (relay/bundle.ts) on plain node, a child process of its own,
 * so its RSS is the server's alone.
 */
async function spawnBundledRelay(ctx: BenchContext): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const outDir = join(ctx.tmpDir, 'bundle');
  const file = await bundleRelay(outDir);
  // node resolves the external native modules (better-sqlite3, ws) from the bundle's folder upwards.
  symlinkSync(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  const child = spawn(process.execPath, [file], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      RELAY_PORT: '0',
      RELAY_HOST: '127.0.0.1',
      RELAY_DATA_DIR: join(ctx.tmpDir, 'rss'),
      META_APP_ID: 'bench',
      META_APP_SECRET: SECRET,
      META_VERIFY_TOKEN: 'v',
      GRAPH_API_URL: 'http://127.0.0.1:9',
      RELAY_RATE_PUBLIC_PER_SEC: '1000000',
      RELAY_RATE_WEBHOOK_PER_SEC: '1000000',
    },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"relay ready","url":"([^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}`)));
  });
  child.stdout!.resume();
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function memory(ctx: BenchContext): Promise<Figure> {
  const installs = ctx.quick ? 500 : 2_000;
  const proc = await spawnBundledRelay(ctx);
  const sockets: WebSocket[] = [];
  try {
    await new Promise((r) => setTimeout(r, 500));
    const idle = rssMb(proc.pid);
    const bearers: string[] = [];
    for (let i = 0; i < installs; i++) bearers.push((await register(proc.url)).bearer);
    for (let i = 0; i < installs; i += 100) {
      const batch = await Promise.all(bearers.slice(i, i + 100).map((b) => connect(proc.url, b)));
      for (const ws of batch) {
        ws.send(JSON.stringify({ type: 'hello', cursor: null }));
        ws.on('message', () => {});
      }
      sockets.push(...batch);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const loaded = rssMb(proc.pid);
    ctx.log(`relay RSS: ${idle.toFixed(1)} MB idle, ${loaded.toFixed(1)} MB with ${installs} installs connected`);
    return {
      name: `relay: RSS of the relay process (bundled, plain node) with ${installs} connected idle installs`,
      value: loaded,
      unit: 'MB',
      limit: idle,
      limit_name: 'the same relay process with no install connected',
      runs: 1,
      p50: null,
      p99: null,
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    await proc.stop();
  }
}

const bench: Benchmark = {
  name: 'relay',
  async run(ctx) {
    const runs = ctx.quick ? 1 : 3;
    return [await throughput(ctx, runs), await latency(ctx, runs), await replay(ctx, runs), await memory(ctx)];
  },
};

export default bench;
