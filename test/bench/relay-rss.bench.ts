/**
 * Relay memory (issue 3): RSS of the relay as hosted (bundled, plain node, its own process) with
 * 2,000 connected idle installs, beside the same process with none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import type { BenchContext, Benchmark, Figure } from './types';
import { connect, register, relayProcess } from '../relay/benchKit';

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function memory(ctx: BenchContext): Promise<Figure> {
  const installs = ctx.quick ? 500 : 2_000;
  const proc = await relayProcess(ctx, join(ctx.tmpDir, 'rss'));
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
