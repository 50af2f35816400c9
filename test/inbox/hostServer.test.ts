import { request } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatch } from '../../main/core/api/dispatch';
import { EventBus } from '../../main/core/events';
import { createInbox } from '../../main/core/inbox/index';
import { openDatabase, type Db } from '../../main/core/store/db';
import { startHost, type Host } from '../../main/host/server';
import { sampleLeads, seedLeads } from '../ui/seed';

let dir: string;
let db: Db;
let events: EventBus;
let host: Host;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'host-test-'));
  mkdirSync(join(dir, 'static', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html><title>Lead Inbox</title>');
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  db = openDatabase(join(dir, 'lead-inbox.sqlite'));
  seedLeads(db, sampleLeads());
  events = new EventBus();
  const inbox = createInbox({ db, events, notifier: { notify() {} }, clock: { now: Date.now }, logger: { info() {}, warn() {}, error() {} }, dataDir: dir });
  host = await startHost({ core: { dispatch: createDispatch(inbox.handlers as never), events }, staticDir: join(dir, 'static') });
});
afterEach(async () => {
  await host.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${host.origin}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(token: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/api?token=${encodeURIComponent(token)}`, { headers: origin ? { Origin: origin } : {} });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Frames in arrival order; several can arrive in one TCP read, so they are queued, not awaited one by one. */
function reader(ws: WebSocket) {
  const queue: Record<string, unknown>[] = [];
  const waiting: ((f: Record<string, unknown>) => void)[] = [];
  ws.on('message', (d) => {
    const frame = JSON.parse(d.toString()) as Record<string, unknown>;
    const w = waiting.shift();
    if (w) w(frame);
    else queue.push(frame);
  });
  return () => new Promise<Record<string, unknown>>((r) => (queue.length ? r(queue.shift()!) : waiting.push(r)));
}

describe('Node host', () => {
  it('serves the renderer with a strict CSP that allows only its own socket', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('Lead Inbox');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src ${host.origin.replace('http', 'ws')}/api`);
    expect(csp).not.toContain('unsafe');
  });

  it('never serves files outside the renderer folder, nor to a foreign Host (DNS rebinding)', async () => {
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/', { Host: 'evil.example:80' })).status).toBe(421);
  });

  it('refuses the API socket without the right token or from another origin', async () => {
    await expect(connect('wrong')).rejects.toThrow('HTTP 401');
    await expect(connect('')).rejects.toThrow('HTTP 401');
    await expect(connect(host.token, 'http://evil.example')).rejects.toThrow('HTTP 401');
  });

  it('answers calls with the Result envelope and forwards core events', async () => {
    const ws = await connect(host.token, host.origin);
    const nextFrame = reader(ws);
    ws.send(JSON.stringify({ id: 1, method: 'leads.list', input: { query: 'invisalign' } }));
    const answer = (await nextFrame()) as { id: number; result: { ok: boolean; value: { total: number } } };
    expect(answer.id).toBe(1);
    expect(answer.result.ok).toBe(true);
    expect(answer.result.value.total).toBe(1);
    ws.send(JSON.stringify({ id: 2, method: 'leads.setStatus', input: { ids: ['9001'], status: 'won' } }));
    const frames = [await nextFrame(), await nextFrame()];
    expect(frames).toContainEqual(expect.objectContaining({ event: 'lead.updated' }));
    expect(frames).toContainEqual({ id: 2, result: { ok: true, value: { updated: 1 } } });
    ws.send(JSON.stringify({ id: 3, method: 'no.such', input: {} }));
    expect(await nextFrame()).toMatchObject({ id: 3, result: { ok: false, error: { code: 'invalid_input' } } });
    ws.close();
  });
});
