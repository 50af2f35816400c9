/**
 * Relay memory (issue 3): RSS of the relay as hosted (bundled, plain node, its own process) with
 * 2,000 connected idle installs, beside the same process with none.
 */
import { spawn } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import { bundleRelay } from '../../relay/bundle';
import type { BenchContext, Benchmark, Figure } from './types';
import { SECRET, connect, register, root } from '../relay/benchKit';

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
  name: 'relay-rss',
  async run(ctx) {
    return [await memory(ctx)];
  },
};

export default bench;
