/**
 * The simulator must never be the bottleneck: leads/s served when one client (following
 * paging.next like the app's GraphClient, in a worker thread) pages one form of 100,000 leads at
 * limit 100, 250 and 500.
 * Limit: a bare node:http server answering the very same URLs with the very same bytes,
 * pre-serialised, through the same client in the same run: the ceiling of HTTP + JSON parsing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { createSimulator, type Simulator } from '../sim/server';
import { median } from './baselines';
import { percentile, type BenchContext, type Benchmark, type Figure } from './types';

const fields =
  'id,created_time,field_data,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,form_id,is_organic,platform';

interface PassResult {
  leads: number;
  ms: number;
  requestMs: number[];
}

/**
 * The client runs in a worker thread, so its JSON parsing does not share the event loop of the
 * server being measured (the sim, or the bare baseline). It pages the way GraphClient does:
 * Bearer header, follow paging.next with access_token stripped, until next is absent.
 */
const clientCode = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { firstUrl, token } = workerData;
  const requestMs = [];
  let url = firstUrl, leads = 0;
  const t0 = performance.now();
  while (url) {
    const u = new URL(url);
    u.searchParams.delete('access_token');
    const r0 = performance.now();
    const res = await fetch(u, { headers: { authorization: 'Bearer ' + token } });
    const page = JSON.parse(await res.text());
    requestMs.push(performance.now() - r0);
    leads += page.data.length;
    url = page.paging && page.paging.next;
  }
  parentPort.postMessage({ leads, ms: performance.now() - t0, requestMs });
})().catch((e) => parentPort.postMessage({ error: String(e) }));
`;

function pass(
  baseUrl: string,
  formId: string,
  token: string,
  limit: number,
  fieldList = fields,
): Promise<PassResult> {
  const firstUrl = `${baseUrl}/v25.0/${formId}/leads?fields=${encodeURIComponent(fieldList)}&limit=${limit}`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(clientCode, { eval: true, workerData: { firstUrl, token } });
    worker.once('message', (m: PassResult & { error?: string }) => {
      void worker.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}

/** Records each page body the simulator served, keyed by path+query without access_token. */
async function capture(
  sim: Simulator,
  formId: string,
  token: string,
  limit: number,
): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  let url: string | undefined =
    `${sim.url}/v25.0/${formId}/leads?fields=${encodeURIComponent(fields)}&limit=${limit}`;
  while (url) {
    const u: URL = new URL(url);
    u.searchParams.delete('access_token');
    const body: string = await (
      await fetch(u, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    pages.set(u.pathname + u.search, body);
    url = (JSON.parse(body) as { paging?: { next?: string } }).paging?.next;
  }
  return pages;
}

async function bareServer(
  pages: Map<string, string>,
  simUrl: string,
): Promise<{ url: string; close(): Promise<void> }> {
  let origin = '';
  let rewritten: Map<string, string> | null = null;
  const server = http.createServer((req, res) => {
    rewritten ??= new Map([...pages].map(([k, v]) => [k, v.split(simUrl).join(origin)]));
    const body = rewritten.get(req.url ?? '') ?? '{"data":[]}';
    res.writeHead(200, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': String(Buffer.byteLength(body)),
    });
    res.end(body);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const bench: Benchmark = {
  name: 'sim',
  async run(ctx: BenchContext): Promise<Figure[]> {
    const total = ctx.quick ? 20_000 : 100_000;
    const runs = ctx.quick ? 3 : 5;
    const sim = await createSimulator({ appSecret: 'bench', seed: 1 });
    const figures: Figure[] = [];
    try {
      const t0 = performance.now();
      const s = sim.control.loadScenario({
        name: 'custom',
        pages: 1,
        formsPerPage: 1,
        leads: total,
        conversations: 0,
        whatsapp: false,
        dataset: false,
      });
      const genMs = performance.now() - t0;
      ctx.log(`generated ${total} leads in ${genMs.toFixed(0)} ms`);
      figures.push({
        name: 'sim.scenario_generate',
        value: Math.round(total / (genMs / 1000)),
        unit: 'leads/s',
        limit: null,
        limit_name: null,
        runs: 1,
        p50: null,
        p99: null,
      });
      const page = s.pages[0]!;
      const formId = page.forms[0]!;
      // Cold: the first read of each lead (answers generated, JSON built). Each run asks for the
      // fields in another order, so no run finds the per-lead serialisation cache warm.
      const cold: number[] = [];
      const names = fields.split(',');
      for (let r = 0; r < runs; r++) {
        const rotated = [...names.slice(r + 1), ...names.slice(0, r + 1)].join(',');
        const a = await pass(sim.url, formId, page.accessToken, 500, rotated);
        if (a.leads !== total) throw new Error(`paged ${a.leads} of ${total}`);
        cold.push(a.leads / (a.ms / 1000));
      }
      ctx.log(`cold, limit 500: sim ${median(cold).toFixed(0)} leads/s`);
      let warmBare500 = 0;
      for (const limit of [100, 250, 500]) {
        const pages = await capture(sim, formId, page.accessToken, limit);
        const bare = await bareServer(pages, sim.url);
        const simRates: number[] = [];
        const bareRates: number[] = [];
        const lat: number[] = [];
        try {
          for (let r = 0; r < runs; r++) {
            // Interleave so both see the same machine load (2 shared cores).
            const a = await pass(sim.url, formId, page.accessToken, limit);
            const b = await pass(bare.url, formId, page.accessToken, limit);
            if (a.leads !== total || b.leads !== total)
              throw new Error(`paged ${a.leads}/${b.leads} of ${total}`);
            simRates.push(a.leads / (a.ms / 1000));
            bareRates.push(b.leads / (b.ms / 1000));
            lat.push(...a.requestMs);
          }
        } finally {
          await bare.close();
        }
        if (limit === 500) warmBare500 = median(bareRates);
        ctx.log(
          `limit ${limit}: sim ${median(simRates).toFixed(0)} leads/s, bare ${median(bareRates).toFixed(0)} leads/s`,
        );
        figures.push({
          name: `sim.leads_paging_limit${limit}`,
          value: Math.round(median(simRates)),
          unit: 'leads/s',
          limit: Math.round(median(bareRates)),
          limit_name: 'bare node:http serving the same pre-serialised pages',
          runs,
          p50: Number(percentile(lat, 50).toFixed(2)),
          p99: Number(percentile(lat, 99).toFixed(2)),
        });
      }
      figures.push({
        name: 'sim.leads_paging_cold_limit500',
        value: Math.round(median(cold)),
        unit: 'leads/s',
        limit: Math.round(warmBare500),
        limit_name: 'bare node:http serving the same pre-serialised pages',
        runs,
        p50: null,
        p99: null,
      });
    } finally {
      await sim.close();
    }
    return figures;
  },
};

export default bench;
