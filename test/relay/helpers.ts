import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { serverFrame, type ServerFrame } from '../../shared/relay-protocol';
import { silentLogger } from '../../relay/logger';
import { createRelay, type Relay, type RelayOptions } from '../../relay/server';
import { signBody } from '../../relay/verify';

export const APP_SECRET = 'test-app-secret';
export const VERIFY_TOKEN = 'test-verify-token';

export function tempDir(prefix = 'relay-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startRelay(dataDir: string, extra: Partial<RelayOptions> = {}): Promise<Relay> {
  return createRelay({
    port: 0,
    dataDir,
    appId: 'app-1',
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    graphApiUrl: 'http://127.0.0.1:9',
    log: silentLogger,
    ...extra,
  });
}

/** A Meta-shaped leadgen delivery for one page, as bytes. */
export function leadgenBody(pageId: string, leadId: string): string {
  return JSON.stringify({
    object: 'page',
    entry: [
      {
        id: pageId,
        time: 1732430000,
        changes: [{ field: 'leadgen', value: { leadgen_id: leadId, page_id: pageId, form_id: 'f1', created_time: 1732430000 } }],
      },
    ],
  });
}

export async function postWebhook(
  url: string,
  body: string | Buffer,
  signature: string | null = signBody(body, APP_SECRET),
): Promise<number> {
  const res = await fetch(`${url}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  await res.arrayBuffer();
  return res.status;
}

export async function register(url: string): Promise<{ installId: string; token: string; bearer: string }> {
  const res = await fetch(`${url}/v1/installs`, { method: 'POST' });
  const body = (await res.json()) as { installId: string; token: string };
  return { ...body, bearer: `Bearer ${body.token}` };
}

/** Counts rows straight from the relay's SQLite file (a second, read-only connection). */
export function countRows(dataDir: string, table: 'events' | 'deliveries'): number {
  const db = new Database(join(dataDir, 'relay.sqlite'), { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A minimal stream client for tests: collects validated frames, acks on request. */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(serverFrame.parse(JSON.parse(data.toString())));
      this.check();
    });
    ws.on('close', () => this.check());
  }

  static connect(url: string, bearer: string): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/stream`, { headers: { authorization: bearer } });
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  hello(cursor: number | null): void {
    this.ws.send(JSON.stringify({ type: 'hello', cursor }));
  }

  ack(seq: number): void {
    this.ws.send(JSON.stringify({ type: 'ack', seq }));
  }

  events() {
    return this.frames.filter((f) => f.type === 'event');
  }

  until(pred: () => boolean, what = 'condition', timeoutMs = 20_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred()) return true;
      w.resolve();
      return false;
    });
  }
}

/** Binds directly in the relay's database: for delivery tests that are not about proof of access. */
export function bindDirect(dataDir: string, installId: string, kind: string, assetId: string): void {
  const db = new Database(join(dataDir, 'relay.sqlite'));
  db.prepare('INSERT INTO bindings (install_id, kind, asset_id, user_id, created_at) VALUES (?, ?, ?, NULL, 0)').run(installId, kind, assetId);
  db.close();
}
