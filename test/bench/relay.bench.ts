/**
 * Relay ingest figures (issue 3), each beside a limit measured in the same run: signed webhook POSTs
 * durably accepted per second vs a bare node:http server answering the same requests, and
 * POST → install delivery latency at a steady 200 events/s vs a loopback WebSocket round trip.
 * Replay rate and RSS are in relay-replay.bench.ts and relay-rss.bench.ts.
 */
import { bareHttpBaseline, latencyOf, median, wsRoundTrip } from './baselines';
import { runLoad } from './loadgen';
import type { BenchContext, Benchmark, Figure } from './types';
import { connect, freshDir, leadBody, relayIn, relayWithInstall, webhook } from '../relay/benchKit';

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

const bench: Benchmark = {
  name: 'relay',
  async run(ctx) {
    const runs = ctx.quick ? 1 : 3;
    return [await throughput(ctx, runs), await latency(ctx, runs)];
  },
};

export default bench;
