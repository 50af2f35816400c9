/**
 * The machine's own ceilings and floors, reported on their own so PERFORMANCE.md shows what the
 * box can do at all. The other benchmarks measure the same baselines again beside their figures.
 */
import { bareHttpBaseline, median, rawIndexedQuery, rawInsertRate, wsRoundTrip } from './baselines';
import type { Benchmark, Figure } from './types';

const webhookBody = JSON.stringify({
  object: 'page',
  entry: [
    {
      id: '1',
      time: 1,
      changes: [{ field: 'leadgen', value: { leadgen_id: '1', page_id: '1', form_id: '1' } }],
    },
  ],
});

const bench: Benchmark = {
  name: 'baselines',
  async run(ctx) {
    const runs = ctx.quick ? 3 : 5;
    const http: number[] = [];
    const httpLat: number[] = [];
    for (let r = 0; r < runs; r++) {
      const res = await bareHttpBaseline({
        total: ctx.quick ? 5_000 : 20_000,
        concurrency: 32,
        request: () => ({ path: '/webhooks/meta', body: webhookBody }),
      });
      http.push(res.okPerSec);
      httpLat.push(...res.latencies);
      ctx.log(`bare http run ${r + 1}: ${res.okPerSec.toFixed(0)} req/s`);
    }
    const rtt = await wsRoundTrip({ samples: ctx.quick ? 2_000 : 10_000 });
    const inserts: number[] = [];
    for (let r = 0; r < runs; r++)
      inserts.push(
        rawInsertRate({ dir: ctx.tmpDir, count: ctx.quick ? 50_000 : 200_000 }).rowsPerSec,
      );
    const queryRows = ctx.quick ? 100_000 : 1_000_000;
    const q = rawIndexedQuery({
      dir: ctx.tmpDir,
      rows: queryRows,
      queries: ctx.quick ? 2_000 : 10_000,
    });
    const sortedLat = [...httpLat].sort((a, b) => a - b);
    const figures: Figure[] = [
      {
        name: 'baseline: bare node:http server, 200 to webhook-sized POSTs (32 in flight)',
        value: median(http),
        unit: 'req/s',
        limit: null,
        limit_name: null,
        runs,
        p50: sortedLat[Math.floor(sortedLat.length * 0.5)] ?? null,
        p99: sortedLat[Math.floor(sortedLat.length * 0.99)] ?? null,
      },
      {
        name: 'baseline: loopback WebSocket round trip',
        value: rtt.p50,
        unit: 'ms',
        limit: null,
        limit_name: null,
        runs: rtt.samples,
        p50: rtt.p50,
        p99: rtt.p99,
      },
      {
        name: 'baseline: raw batched SQLite insert (1,000 rows per transaction)',
        value: median(inserts),
        unit: 'rows/s',
        limit: null,
        limit_name: null,
        runs,
        p50: null,
        p99: null,
      },
      {
        name: `baseline: raw indexed SQLite query p95 at ${queryRows.toLocaleString('en-US')} rows`,
        value: q.p95,
        unit: 'ms',
        limit: null,
        limit_name: null,
        runs: q.samples,
        p50: q.p50,
        p99: q.p99,
      },
    ];
    return figures;
  },
};

export default bench;
