/**
 * Relay ingest figures (issue 3), each beside a limit measured in the same run: signed webhook POSTs
 * durably accepted per second vs a bare node:http server answering the same requests, and
 * POST → install delivery latency at a steady 200 events/s vs a loopback WebSocket round trip.
 * Replay rate and RSS are in relay-replay.bench.ts and relay-rss.bench.ts.
 *
 * The relay runs as hosted (bundled, a process of its own) and so does the bare server: the load
 * generator and the stream client stay in this process, so on a 2-core box the server gets its own
 * threads instead of sharing one event loop with its client. Logged per run: CPU per request of
 * the server and of the generator, to show the generator is not the bottleneck.
 */
import { latencyOf, median, wsRoundTrip } from './baselines';
import { runLoad, type LoadResult } from './loadgen';
import type { BenchContext, Benchmark, Figure } from './types';
import { bareHttpProcess, connect, freshDir, leadBody, relayProcess, relayProcessWithInstall, webhook, type ServerProcess } from '../relay/benchKit';

/**
 * Warms the server (JIT, connections, the SQLite file's first pages) with a fifth of the requests,
 * uncounted, then measures `total` requests: a server that has been up for a while, as in production.
 */
async function loadOn(server: ServerProcess, total: number, request: (i: number) => ReturnType<typeof webhook>): Promise<LoadResult & { note: string }> {
  await runLoad({ url: server.url, total: Math.ceil(total / 5), concurrency: 32, request });
  const serverCpu = server.cpuMs();
  const clientCpu = process.cpuUsage();
  const res = await runLoad({ url: server.url, total, concurrency: 32, request });
  const client = process.cpuUsage(clientCpu);
  const perReq = (ms: number) => `${((ms * 1000) / total).toFixed(0)} µs`;
  const note = `${res.okPerSec.toFixed(0)}/s (server ${perReq(server.cpuMs() - serverCpu)} CPU/req, generator ${perReq((client.user + client.system) / 1000)})`;
  return { ...res, note };
}

async function throughput(ctx: BenchContext, runs: number): Promise<Figure> {
  const total = ctx.quick ? 5_000 : 20_000;
  const bodies = Array.from({ length: total }, (_, i) => webhook(leadBody(i)));
  const relayRates: number[] = [];
  const bareRates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const relay = await relayProcess(ctx, freshDir(ctx));
    const res = await loadOn(relay, total, (i) => bodies[i]!).finally(() => relay.stop());
    if (res.ok !== total) throw new Error(`relay answered ${JSON.stringify(res.statuses)}`);
    relayRates.push(res.okPerSec);
    const bareServer = await bareHttpProcess();
    const bare = await loadOn(bareServer, total, (i) => bodies[i]!).finally(() => bareServer.stop());
    bareRates.push(bare.okPerSec);
    ctx.log(`accept run ${r + 1}: relay ${res.note}; bare ${bare.note}`);
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
    const { relay, bearer } = await relayProcessWithInstall(ctx);
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
    await relay.stop();
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
