import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { signBody } from '../../relay/verify';
import type { Logger } from '../../relay/logger';
import type { Relay, RelayOptions } from '../../relay/server';
import { APP_SECRET, TestClient, bindDirect, countRows, postWebhook, register, startRelay, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let relay: Relay | null;

afterEach(async () => {
  await relay?.close();
  relay = null;
  tmp?.cleanup();
});

async function boundRelay(opts: Partial<RelayOptions> = {}) {
  tmp = tempDir();
  relay = await startRelay(tmp.dir);
  const install = await register(relay.url);
  await relay.close();
  bindDirect(tmp.dir, install.installId, 'page', 'page-1');
  relay = await startRelay(tmp.dir, opts);
  return install;
}

const messengerBody = (mid: string, text: string) =>
  JSON.stringify({
    object: 'page',
    entry: [{ id: 'page-1', time: 1, messaging: [{ sender: { id: 'psid-1' }, recipient: { id: 'page-1' }, message: { mid, text } }] }],
  });

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${relay!.url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never: ${what}`);
}

describe('operations', () => {
  it('healthz answers 200 while serving', async () => {
    tmp = tempDir();
    relay = await startRelay(tmp.dir);
    const res = await fetch(`${relay.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('graceful close finishes the webhook requests already in flight: each gets 200 and is stored', async () => {
    tmp = tempDir();
    relay = await startRelay(tmp.dir);
    const port = relay.port;
    const signatureOf = (body: string) => signBody(body, APP_SECRET);
    // Ten deliveries whose bodies are half sent when the shutdown begins.
    const inFlight = Array.from({ length: 10 }, (_, i) => {
      const body = messengerBody(`m${i}`, 'hi');
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/webhooks/meta',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signatureOf(body) },
      });
      const status = new Promise<number>((resolve) => {
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => resolve(0));
      });
      req.write(body.slice(0, 20));
      return { req, rest: body.slice(20), status };
    });
    await eventually(async () => (await metric('relay_webhooks_received_total')) === 10, 'requests reached the relay');
    const closing = relay.close();
    relay = null;
    for (const r of inFlight) r.req.end(r.rest);
    expect(await Promise.all(inFlight.map((r) => r.status))).toEqual(Array(10).fill(200));
    await closing;
    expect(countRows(tmp.dir, 'events')).toBe(10);
  });

  it('acked events leave the disk after the grace period; metrics count what happened', async () => {
    const install = await boundRelay({ ackGraceMs: 20 });
    for (let i = 0; i < 3; i++) expect(await postWebhook(relay!.url, messengerBody(`m${i}`, 'hi'))).toBe(200);
    const c = await TestClient.connect(relay!.url, install.bearer);
    c.hello(null);
    await c.until(() => c.events().length === 3, 'three events');
    expect(await metric('relay_connected_installs')).toBe(1);
    expect(await metric('relay_deliveries_on_disk')).toBe(3);
    c.ack(3);
    await eventually(async () => (await metric('relay_events_acked_total')) === 3, 'ack counted');
    await eventually(async () => (await metric('relay_deliveries_on_disk')) === 0, 'acked deliveries removed');
    await eventually(async () => (await metric('relay_events_on_disk')) === 0, 'events removed');
    expect(await metric('relay_events_stored_total')).toBe(3);
    expect(await metric('relay_events_delivered_total')).toBe(3);
    await c.close();
  });

  it('per-IP rate limits answer 429 with Retry-After on public endpoints', async () => {
    tmp = tempDir();
    relay = await startRelay(tmp.dir, {
      rateLimits: { public: { ratePerSec: 0.001, burst: 2 }, webhook: { ratePerSec: 0.001, burst: 3 } },
    });
    const reg = async () => (await fetch(`${relay!.url}/v1/installs`, { method: 'POST' })).status;
    expect([await reg(), await reg()]).toEqual([201, 201]);
    const limited = await fetch(`${relay.url}/v1/installs`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await postWebhook(relay.url, messengerBody(`m${i}`, 'x')));
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(countRows(tmp.dir, 'events')).toBe(3);
  });

  it('logs carry ids and counts, never message text, tokens or secrets', async () => {
    const lines: string[] = [];
    const log: Logger = {
      info: (msg, f) => lines.push(JSON.stringify({ msg, ...f })),
      warn: (msg, f) => lines.push(JSON.stringify({ msg, ...f })),
      error: (msg, f) => lines.push(JSON.stringify({ msg, ...f })),
    };
    const install = await boundRelay({ log });
    const text = 'Hi, this is Jane Roe, call me on +1 555 0100 or jane@example.com';
    expect(await postWebhook(relay!.url, messengerBody('mid.secret-1', text))).toBe(200);
    expect(await postWebhook(relay!.url, messengerBody('mid.2', text), 'sha256=' + '0'.repeat(64))).toBe(401);
    expect(await postWebhook(relay!.url, '{"object":"user","entry":[{"id":"u","email":"jane@example.com"}]}')).toBe(200);
    const c = await TestClient.connect(relay!.url, install.bearer);
    c.hello(null);
    await c.until(() => c.events().length === 1, 'event');
    c.ack(1);
    await c.close();
    await fetch(`${relay!.url}/v1/bindings`, {
      method: 'POST',
      headers: { authorization: install.bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'page', assetId: 'page-2', accessToken: 'EAAsecret-page-token' }),
    });
    await relay!.close();
    relay = null;
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(3);
    // Whole phone spellings, not '555' alone: an ephemeral port such as 35555 is logged and is no leak.
    for (const secret of ['Jane', '555 0100', '5550100', 'jane@example.com', 'mid.secret-1', 'EAAsecret-page-token', install.token.split('.')[1]!, 'test-app-secret']) {
      expect(all).not.toContain(secret);
    }
  });
});
