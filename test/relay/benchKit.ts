/**
 * Shared pieces of the relay benchmarks (test/bench/relay*.bench.ts): Meta-shaped signed bodies,
 * the relay as hosted (bundled, its own process) or in-process, with one bound install, a bare
 * node:http server in its own process (the limit), and a stream client that acks like a desktop.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { bundleRelay } from '../../relay/bundle';
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

/** A server in a child process of its own: what a load generator on the same box talks to. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** CPU time (user + system) the process has used so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** CPU time (user + system) process `pid` has used so far, in ms (Linux: reads /proc). */
export function cpuMsOf(pid: number): number {
  // /proc/<pid>/stat fields 14 and 15 (utime, stime) in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Spawns `node <args>` and waits for its `{"msg":"relay ready","url":...}` line on stdout. */
async function spawnServer(args: string[], env: Record<string, string>): Promise<ServerProcess> {
  // cwd = the repository, so `node -e` sources resolve `ws` from its node_modules.
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"relay ready","url":"([^"]+)"/.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  child.stdout!.resume();
  const pid = child.pid!;
  return {
    url,
    pid,
    cpuMs: () => cpuMsOf(pid),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

const bundles = new Map<string, Promise<string>>();

/** The bundled relay (relay/bundle.ts), built once per scratch folder. */
function relayBundle(ctx: BenchContext): Promise<string> {
  const outDir = join(ctx.tmpDir, 'bundle');
  let file = bundles.get(outDir);
  if (!file) {
    file = bundleRelay(outDir).then((f) => {
      // node resolves the external native modules (better-sqlite3, ws) from the bundle's folder upwards.
      if (!existsSync(join(outDir, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');
      return f;
    });
    bundles.set(outDir, file);
  }
  return file;
}

/**
 * The relay as hosted: the bundled build on plain node, a child process of its own, so its CPU,
 * its threads and its RSS are the server's alone (not shared with the benchmark's client).
 */
export async function relayProcess(ctx: BenchContext, dataDir: string): Promise<ServerProcess> {
  return spawnServer([await relayBundle(ctx)], {
    RELAY_PORT: '0',
    RELAY_HOST: '127.0.0.1',
    RELAY_DATA_DIR: dataDir,
    META_APP_ID: 'bench',
    META_APP_SECRET: SECRET,
    META_VERIFY_TOKEN: 'v',
    GRAPH_API_URL: 'http://127.0.0.1:9',
    RELAY_RATE_PUBLIC_PER_SEC: '1000000000',
    RELAY_RATE_WEBHOOK_PER_SEC: '1000000000',
  });
}

/** The relay process with one install bound to page-1 (bound through SQLite, then restarted). */
export async function relayProcessWithInstall(ctx: BenchContext): Promise<{ relay: ServerProcess; bearer: string }> {
  const dir = freshDir(ctx);
  let relay = await relayProcess(ctx, dir);
  const install = await register(relay.url);
  await relay.stop();
  const db = new Database(join(dir, 'relay.sqlite'));
  db.prepare("INSERT INTO bindings (install_id, kind, asset_id, created_at) VALUES (?, 'page', 'page-1', 0)").run(install.installId);
  db.close();
  relay = await relayProcess(ctx, dir);
  return { relay, bearer: install.bearer };
}

/**
 * The limit for "accepted per second": a bare node:http server that reads each POST body and
 * answers 200, in a process of its own like the relay, driven by the same generator.
 */
export function bareHttpProcess(): Promise<ServerProcess> {
  const source = `
    const http = require('node:http');
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('EVENT_RECEIVED');
      });
    });
    server.keepAliveTimeout = 65000;
    server.listen(0, '127.0.0.1', () => {
      process.stdout.write(JSON.stringify({ msg: 'relay ready', url: 'http://127.0.0.1:' + server.address().port }) + '\\n');
    });
    process.on('SIGTERM', () => process.exit(0));
  `;
  return spawnServer(['-e', source], {});
}

/**
 * The limit for replay: a bare ws server in a process of its own that pushes `count` copies of
 * `frame` (event frames numbered 1..count) to each connection, with no storage behind it.
 */
export function bareWsPushProcess(count: number, frame: Record<string, unknown>): Promise<ServerProcess> {
  const source = `
    const { WebSocketServer } = require('ws');
    const frame = ${JSON.stringify(frame)};
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    wss.on('connection', (s) => {
      for (let i = 1; i <= ${count}; i++) s.send(JSON.stringify({ ...frame, seq: i }));
      s.on('message', () => {});
    });
    wss.on('listening', () => {
      process.stdout.write(JSON.stringify({ msg: 'relay ready', url: 'http://127.0.0.1:' + wss.address().port }) + '\\n');
    });
    process.on('SIGTERM', () => process.exit(0));
  `;
  return spawnServer(['-e', source], {});
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
