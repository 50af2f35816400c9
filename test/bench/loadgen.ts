/**
 * A small keep-alive HTTP load generator. Every throughput figure and its baseline (a bare
 * node:http server) go through this same generator, so the ratio between them measures the
 * server, not the client. `concurrency` = requests in flight = sockets in the keep-alive pool.
 */
import http from 'node:http';
import { percentile } from './types';

export interface LoadRequest {
  path: string;
  body: Buffer | string;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:4321 */
  url: string;
  total: number;
  concurrency: number;
  /** Builds request i (0-based); called just before sending, so bodies can carry send times. */
  request(i: number): LoadRequest;
  /** Steady rate instead of flat out: request i is sent at start + i / ratePerSec seconds. */
  ratePerSec?: number;
  /** Called with each response (e.g. to record which event ids got a 200). */
  onResponse?(i: number, status: number, latencyMs: number): void;
}

export interface LoadResult {
  sent: number;
  /** Responses by status code; 0 = the request failed before a status (socket error). */
  statuses: Record<number, number>;
  ok: number;
  durationMs: number;
  /** 2xx responses per second over the whole run. */
  okPerSec: number;
  latencyP50: number;
  latencyP99: number;
  latencies: number[];
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const statuses: Record<number, number> = {};
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  const started = performance.now();

  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= opts.total) return;
      if (opts.ratePerSec) {
        const due = started + (i * 1000) / opts.ratePerSec;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const req = opts.request(i);
      const t0 = performance.now();
      const status = await send(agent, target, req);
      const ms = performance.now() - t0;
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) ok++;
      opts.onResponse?.(i, status, ms);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const durationMs = performance.now() - started;
  agent.destroy();
  return {
    sent: opts.total,
    statuses,
    ok,
    durationMs,
    okPerSec: (ok * 1000) / durationMs,
    latencyP50: percentile(latencies, 50),
    latencyP99: percentile(latencies, 99),
    latencies,
  };
}

/** One request; resolves with the status once the whole response is read (0 on socket error). */
export function send(agent: http.Agent, base: URL, req: LoadRequest): Promise<number> {
  return new Promise((resolve) => {
    const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
    const r = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: req.path,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          ...req.headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    r.on('error', () => resolve(0));
    r.end(body);
  });
}
