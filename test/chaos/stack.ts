/**
 * The whole chain for chaos tests, each part a real program on loopback: the Meta simulator
 * (delivers signed webhooks and retries like Meta), the relay as a child process (or in-process
 * when a test needs a short heartbeat), optionally a TCP proxy between desktop and relay, and the
 * desktop core as a child process. Killing any of them is a real SIGKILL.
 */
import Database from 'better-sqlite3';
import keytar from 'keytar';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreTuning } from '../../main/core/tuning';
import { silentLogger } from '../../relay/logger';
import { createRelay } from '../../relay/server';
import { createSimulator, type Simulator } from '../sim/server';
import { startCoreProcess, type CoreHandle } from './coreHandle';
import { startRelayProcess, type RelayProcess } from './relayProcess';
import { createTcpProxy, type TcpProxy } from './tcpProxy';

export const chaosAppSecret = 'chaos-app-secret-5f2c9a7e1b3d4c6a';
export const chaosVerifyToken = 'chaos-verify-token';

/** Backoffs shrunk so recovery paths run in milliseconds; heartbeats short so dead sockets show fast. */
export const chaosTuning: Partial<CoreTuning> = {
  fetchBackoff: { baseMs: 20, maxMs: 300 },
  syncBackoff: { baseMs: 20, maxMs: 300 },
  relayBackoff: { baseMs: 20, maxMs: 400 },
  rateLimitMaxPauseMs: 500,
  rateLimitDefaultPauseMs: 200,
  oauthPollMs: 20,
  oauthTimeoutMs: 10_000,
  relayHeartbeatMs: 500,
};

/** The relay as the tests see it: a URL, and kill/restart when it is a child process. */
export interface RelayHandle {
  url: string;
  port: number;
  process: RelayProcess | null;
  close(): Promise<void>;
}

export interface ChaosStack {
  root: string;
  sim: Simulator;
  relay: RelayHandle;
  proxy: TcpProxy | null;
  desktop: CoreHandle;
  keychainService: string;
  desktopDir: string;
  relayDir: string;
  /** Lead rows as another process sees the desktop's SQLite file. */
  leads(): { id: string; state: string; fetch_error: string | null }[];
  close(): Promise<void>;
}

export async function startChaosStack(
  opts: {
    relay?: 'process' | 'in-process';
    relayHeartbeatMs?: number;
    proxy?: boolean;
    tuning?: Partial<CoreTuning>;
  } = {},
): Promise<ChaosStack> {
  const root = mkdtempSync(join(tmpdir(), 'lead-inbox-chaos-'));
  const relayDir = join(root, 'relay');
  const desktopDir = join(root, 'desktop');
  const sim = await createSimulator({
    appSecret: chaosAppSecret,
    webhookUrl: null,
    oauthAutoApprove: true,
    webhookRetryBaseMs: 50,
    webhookMaxAttempts: 10_000,
    seed: 11,
  });
  // Meta retries for 36 h; here: quickly and without giving up, so "everything arrives" is checkable.
  sim.context.webhooks.configure({
    retryBaseMs: 50,
    retryMaxMs: 500,
    maxAttempts: 10_000,
    timeoutMs: 5_000,
  });

  let relay: RelayHandle;
  if ((opts.relay ?? 'process') === 'process') {
    const p = await startRelayProcess({
      dataDir: relayDir,
      appId: sim.appId,
      appSecret: chaosAppSecret,
      verifyToken: chaosVerifyToken,
      graphApiUrl: sim.url,
      logFile: join(root, 'relay-logs', 'relay.log'),
    });
    relay = { url: p.url, port: p.port, process: p, close: () => p.stop() };
  } else {
    const r = await createRelay({
      dataDir: relayDir,
      appId: sim.appId,
      appSecret: chaosAppSecret,
      verifyToken: chaosVerifyToken,
      graphApiUrl: sim.url,
      heartbeatMs: opts.relayHeartbeatMs ?? 500,
      log: silentLogger,
    });
    relay = { url: r.url, port: r.port, process: null, close: () => r.close() };
  }
  const proxy = opts.proxy ? await createTcpProxy({ port: relay.port }) : null;
  sim.context.webhooks.setUrl(`${relay.url}/webhooks/meta`);

  const keychainService = `Lead Inbox chaos ${process.pid} ${Math.random().toString(36).slice(2, 8)}`;
  const desktop = await startCoreProcess({
    dataDir: desktopDir,
    graphApiUrl: sim.url,
    dialogUrl: sim.url,
    relayUrl: proxy ? proxy.url : relay.url,
    appId: sim.appId,
    keychainService,
    tuning: { ...chaosTuning, ...opts.tuning },
  });

  const dbFile = join(desktopDir, 'lead-inbox.sqlite');
  return {
    root,
    sim,
    relay,
    proxy,
    desktop,
    keychainService,
    desktopDir,
    relayDir,
    leads() {
      if (!existsSync(dbFile)) return [];
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT id, state, fetch_error FROM leads').all() as {
          id: string;
          state: string;
          fetch_error: string | null;
        }[];
      } finally {
        db.close();
      }
    },
    async close() {
      await desktop.stop().catch(() => undefined);
      await proxy?.close();
      await relay.close().catch(() => undefined);
      await sim.close();
      for (const c of await keytar.findCredentials(keychainService))
        await keytar.deletePassword(keychainService, c.account);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Connect through the simulated Facebook login and enable every page, through the real API. */
export async function connectAndEnableAll(desktop: CoreHandle): Promise<void> {
  const login = await desktop.call<{ outcome: string }>('auth.connectFacebook', {});
  if (!login.ok || login.value.outcome !== 'connected')
    throw new Error(`login failed: ${JSON.stringify(login)}`);
  const list = await desktop.call<{ pages: { id: string }[] }>('pages.list', {});
  if (!list.ok) throw new Error(`pages.list failed: ${JSON.stringify(list)}`);
  for (const p of list.value.pages) {
    const r = await desktop.call('pages.setEnabled', { pageId: p.id, enabled: true });
    if (!r.ok) throw new Error(`enabling ${p.id} failed: ${JSON.stringify(r)}`);
  }
}

export async function waitFor<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`,
  );
}

/** A small seeded PRNG (mulberry32) so a failing chaos run can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lead ids carried by a webhook body (leadgen changes of every entry). */
export function leadIdsOf(body: string): string[] {
  const doc = JSON.parse(body) as {
    entry?: { changes?: { field?: string; value?: { leadgen_id?: string } }[] }[];
  };
  return (doc.entry ?? []).flatMap((e) =>
    (e.changes ?? []).filter((c) => c.field === 'leadgen').map((c) => String(c.value?.leadgen_id)),
  );
}
