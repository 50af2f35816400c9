/**
 * Offline replay (issue 3): 10,000 events queued while the install was away, streamed on reconnect
 * with the client acking as it commits; beside a bare ws server pushing the same frames. Both
 * servers run in a process of their own (the relay bundled, as hosted), the client here.
 */
import { WebSocket } from 'ws';
import { median } from './baselines';
import { runLoad } from './loadgen';
import type { BenchContext, Benchmark, Figure } from './types';
import { bareWsPushProcess, batchBody, connect, leadBody, receiveAll, relayProcessWithInstall, webhook } from '../relay/benchKit';

async function replay(ctx: BenchContext, runs: number): Promise<Figure> {
  const queued = 10_000;
  const rates: number[] = [];
  const bareRates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const { relay, bearer } = await relayProcessWithInstall(ctx);
    try {
      const load = await runLoad({ url: relay.url, total: queued / 10, concurrency: 32, request: (i) => webhook(batchBody(i * 10, 10)) });
      if (load.ok !== queued / 10) throw new Error('queueing failed');
      const ws = await connect(relay.url, bearer);
      const t0 = performance.now();
      await receiveAll(ws, queued, true);
      rates.push((queued * 1000) / (performance.now() - t0));
      ws.close();
    } finally {
      await relay.stop();
    }
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

/** The same number of event-sized frames pushed by a bare ws server with no storage behind it. */
async function barePush(count: number): Promise<number> {
  const raw = JSON.stringify((JSON.parse(leadBody(1)) as { entry: unknown[] }).entry[0]);
  const server = await bareWsPushProcess(count, { type: 'event', seq: 0, receivedAt: 0, object: 'page', kind: 'page', assetId: 'page-1', raw });
  try {
    const t0 = performance.now();
    const ws = new WebSocket(server.url.replace('http', 'ws'));
    await receiveAll(ws, count, false);
    const rate = (count * 1000) / (performance.now() - t0);
    ws.close();
    return rate;
  } finally {
    await server.stop();
  }
}

const bench: Benchmark = {
  name: 'relay-replay',
  async run(ctx) {
    return [await replay(ctx, ctx.quick ? 1 : 3)];
  },
};

export default bench;
