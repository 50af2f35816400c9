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
import { makeCommit } from '../../relay/commitWorker';
import { openRelayDb } from '../../relay/db';
import { latencyOf, median, wsRoundTrip, type Latency } from './baselines';
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

/** Relay and bare server alternate (ABBA order), so a machine getting busier hurts both alike. */
async function throughput(ctx: BenchContext, runs: number): Promise<Figure> {
  const total = ctx.quick ? 4_000 : 20_000;
  const bodies = Array.from({ length: total }, (_, i) => webhook(leadBody(i)));
  const relayRates: number[] = [];
  const bareRates: number[] = [];
  const relayRun = async () => {
    const relay = await relayProcess(ctx, freshDir(ctx));
    const res = await loadOn(relay, total, (i) => bodies[i]!).finally(() => relay.stop());
    if (res.ok !== total) throw new Error(`relay answered ${JSON.stringify(res.statuses)}`);
    relayRates.push(res.okPerSec);
    return res.note;
  };
  const bareRun = async () => {
    const bareServer = await bareHttpProcess();
    const bare = await loadOn(bareServer, total, (i) => bodies[i]!).finally(() => bareServer.stop());
    bareRates.push(bare.okPerSec);
    return bare.note;
  };
  for (let r = 0; r < runs; r++) {
    const [first, second] = r % 2 === 0 ? [relayRun, bareRun] : [bareRun, relayRun];
    const notes = [await first(), await second()];
    ctx.log(`accept run ${r + 1}: ${r % 2 === 0 ? 'relay' : 'bare'} ${notes[0]}; ${r % 2 === 0 ? 'bare' : 'relay'} ${notes[1]}`);
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

/**
 * The floor under delivery latency: the relay's own ingest transaction for one event with one
 * target (what a lone webhook commits before it is delivered), fsynced, on the same disk, paced
 * like the 200 events/s stream. On a disk shared with other work its tail is the fsync's tail.
 */
async function commitFloor(ctx: BenchContext, samples: number): Promise<Latency> {
  const db = openRelayDb(freshDir(ctx));
  try {
    const commit = makeCommit(db);
    db.prepare("INSERT INTO installs (id, token_hash, created_at) VALUES ('in_floor', '', 0)").run();
    const raw = JSON.stringify((JSON.parse(leadBody(0)) as { entry: unknown[] }).entry[0]);
    const times: number[] = [];
    for (let seq = 1; seq <= samples; seq++) {
      await new Promise((r) => setTimeout(r, 5));
      const event = { receivedAt: Date.now(), object: 'page', kind: 'page', assetId: 'page-1', raw, targets: [['in_floor', seq]] as [string, number][], unbindUser: null };
      const t0 = performance.now();
      commit({ events: [event], heads: [['in_floor', seq]] });
      times.push(performance.now() - t0);
    }
    return latencyOf(times);
  } finally {
    db.close();
  }
}

const bench: Benchmark = {
  name: 'relay',
  async run(ctx) {
    const runs = ctx.quick ? 1 : 3;
    const acceptRuns = ctx.quick ? 3 : 5;
    const floor = await commitFloor(ctx, ctx.quick ? 400 : 2_000);
    ctx.log(`one-event durable commit p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms`);
    return [
      await throughput(ctx, acceptRuns),
      await latency(ctx, runs),
      {
        name: 'relay: durable commit of one event on the same disk (SQLite WAL, synchronous=FULL, 200/s), p99: the floor under delivery latency',
        value: floor.p99,
        unit: 'ms',
        limit: null,
        limit_name: null,
        runs: floor.samples,
        p50: floor.p50,
        p99: floor.p99,
      },
    ];
  },
};

export default bench;
