/**
 * Helpers for the simulator's own tests (and anyone else's): a real loopback webhook receiver
 * that keeps the raw bytes, a fixture loader, and a JSON shape comparison.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSimulator, type Simulator, type SimulatorOptions } from './server';

export interface Received {
  raw: Buffer;
  headers: IncomingHttpHeaders;
  path: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status codes to answer with, in order; 200 once they run out. */
  statuses: number[];
  /** Answers Meta's verification GET (hub.challenge) when hub.verify_token equals this. */
  verifyToken: string;
  /** Resolves once `n` requests have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const statuses: number[] = [];
  const waiters: (() => void)[] = [];
  const receiver = { verifyToken: 'verify-me' };
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const ok =
        q.get('hub.mode') === 'subscribe' && q.get('hub.verify_token') === receiver.verifyToken;
      res
        .writeHead(ok ? 200 : 403, { 'content-type': 'text/plain' })
        .end(ok ? (q.get('hub.challenge') ?? '') : 'Forbidden');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ raw: Buffer.concat(chunks), headers: req.headers, path: req.url ?? '/' });
      res.writeHead(statuses.shift() ?? 200).end();
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/meta`;
  return {
    url,
    received,
    statuses,
    get verifyToken() {
      return receiver.verifyToken;
    },
    set verifyToken(v: string) {
      receiver.verifyToken = v;
    },
    async waitFor(n, ms = 5000) {
      const deadline = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > deadline)
          throw new Error(`expected ${n} webhook requests, got ${received.length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
      return received;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export const testSecret = 'sim-contract-secret';

export async function startSimWithReceiver(
  extra: Partial<SimulatorOptions> = {},
): Promise<{ sim: Simulator; hooks: Receiver; close(): Promise<void> }> {
  const hooks = await startReceiver();
  const sim = await createSimulator({
    appSecret: testSecret,
    webhookUrl: hooks.url,
    webhookRetryBaseMs: 5,
    seed: 42,
    ...extra,
  });
  return { sim, hooks, close: async () => (await sim.close(), await hooks.close()) };
}

export interface Fixture {
  source: string;
  request?: string;
  /** Keys that may be absent (e.g. ad fields on organic leads, options on free-text questions). */
  optional?: string[];
  body: unknown;
}

/** shapeDiff against a named fixture, honouring its optional keys. */
export function fixtureDiff(name: string, actual: unknown): string[] {
  const f = fixture(name);
  return shapeDiff(f.body, actual, '$', f.optional ?? []);
}

export function fixture(name: string): Fixture {
  return JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'fixtures', 'meta', `${name}.json`), 'utf8'),
  ) as Fixture;
}

const isoMeta = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/;
const digits = /^\d+$/;

/**
 * Differences between the shape of `expected` (a documented example) and `actual`: same keys,
 * same JSON types, digit-only strings stay digit-only (ids), Meta's "+0000" times keep that form.
 * Array elements of `actual` are each compared to the example's first element.
 */
export function shapeDiff(
  expected: unknown,
  actual: unknown,
  path = '$',
  optional: readonly string[] = [],
): string[] {
  const te = typeOf(expected);
  const ta = typeOf(actual);
  if (te !== ta) return [`${path}: expected ${te}, got ${ta}`];
  if (te === 'string') {
    if (isoMeta.test(expected as string) && !isoMeta.test(actual as string))
      return [`${path}: expected ISO time with +0000, got ${String(actual)}`];
    if (digits.test(expected as string) && !digits.test(actual as string))
      return [`${path}: expected a digit string, got ${String(actual)}`];
    return [];
  }
  if (te === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length > 0 && a.length === 0) return [`${path}: expected a non-empty array`];
    return e.length === 0
      ? []
      : a.flatMap((item, i) => shapeDiff(e[0], item, `${path}[${i}]`, optional));
  }
  if (te === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const out: string[] = [];
    for (const k of Object.keys(e))
      if (!(k in a) && !optional.includes(k)) out.push(`${path}.${k}: missing`);
    for (const k of Object.keys(a))
      if (!(k in e)) out.push(`${path}.${k}: not in the documented shape`);
    for (const k of Object.keys(e))
      if (k in a) out.push(...shapeDiff(e[k], a[k], `${path}.${k}`, optional));
    return out;
  }
  return [];
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** GET/POST against the simulator's Graph API with a Bearer token; returns status, JSON and headers. */
export async function graph(
  sim: Simulator,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${sim.url}/v25.0/${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return {
    status: res.status,
    json: (await res.json()) as Record<string, unknown>,
    headers: res.headers,
  };
}
