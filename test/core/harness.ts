/**
 * Simulator + relay + desktop core on loopback for test/core: real SQLite files in a temp folder,
 * real sockets, real keytar (a throwaway keychain service per run, removed at the end). Backoffs are
 * shrunk through CoreTuning so retry paths run in milliseconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { createCore, type Core } from '../../main/core/app';
import type { CoreConfig } from '../../main/core/config';
import { createKeytarTokenStore } from '../../main/core/keychain/keytarTokenStore';
import { createFileLogger } from '../../main/core/log/fileLogger';
import type { Clock, NotificationRequest, TokenStore } from '../../main/core/ports';
import type { CoreTuning } from '../../main/core/tuning';
import { createRelay, type Relay, type RelayOptions } from '../../relay/server';
import { createTcpProxy, type TcpProxy } from '../chaos/tcpProxy';
import { silentLogger } from '../../relay/logger';
import { createSimulator, type Simulator } from '../sim/server';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/index';

export const appSecret = 'core-test-app-secret';

export const fastTuning: Partial<CoreTuning> = {
  fetchBackoff: { baseMs: 20, maxMs: 200 },
  syncBackoff: { baseMs: 10, maxMs: 100 },
  relayBackoff: { baseMs: 20, maxMs: 300 },
  rateLimitMaxPauseMs: 300,
  rateLimitDefaultPauseMs: 100,
  oauthPollMs: 20,
  oauthTimeoutMs: 5_000,
  relayHeartbeatMs: 1_000,
};

export interface Desktop {
  core: Core;
  notifications: NotificationRequest[];
  opened: string[];
  call<M extends MethodName>(method: M, input?: MethodInput<M>): Promise<MethodOutput<M>>;
  stop(): Promise<void>;
}

export interface Stack {
  root: string;
  dataDir: string;
  sim: Simulator;
  relay: Relay;
  proxy: TcpProxy | null;
  config: CoreConfig;
  keychainService: string;
  tokens: TokenStore;
  desktop: Desktop;
  /**
   * Stops the core and starts a new one on the same data folder and keychain service; `clock` lets
   * it start as if later (hours away, while the simulator and the relay keep real time).
   */
  restartDesktop(opts?: { beforeStart?: (core: Core) => void; clock?: Clock }): Promise<Desktop>;
  /** Swap the owner's browser behaviour between logins (deny, ignore, approve). */
  browser?: Browser;
  close(): Promise<void>;
}

/** What the owner's browser does with the login URL; the default follows the auto-approving dialog. */
export type Browser = (url: string) => Promise<void>;
const followRedirects: Browser = async (url) => {
  await fetch(url, { redirect: 'follow' }).catch(() => undefined);
};

export async function startStack(
  opts: {
    tuning?: Partial<CoreTuning>;
    relayHeartbeatMs?: number;
    seed?: number;
    browser?: Browser;
    relay?: Partial<RelayOptions>;
    /** Put a controllable TCP proxy between the desktop and the relay (network faults). */
    proxy?: boolean;
  } = {},
): Promise<Stack> {
  const root = mkdtempSync(join(tmpdir(), 'lead-inbox-core-'));
  const dataDir = join(root, 'desktop');
  const sim = await createSimulator({
    appSecret,
    webhookUrl: null,
    oauthAutoApprove: true,
    webhookRetryBaseMs: 20,
    seed: opts.seed ?? 7,
  });
  const relay = await createRelay({
    port: 0,
    dataDir: join(root, 'relay'),
    appId: sim.appId,
    appSecret,
    verifyToken: 'core-test-verify',
    graphApiUrl: sim.url,
    heartbeatMs: opts.relayHeartbeatMs ?? 1_000,
    log: silentLogger,
    ...opts.relay,
  });
  const proxy = opts.proxy ? await createTcpProxy({ port: relay.port }) : null;
  sim.context.webhooks.setUrl(`${relay.url}/webhooks/meta`);
  const config: CoreConfig = {
    dataDir,
    graphApiUrl: sim.url,
    graphVersion: 'v25.0',
    relayUrl: proxy ? proxy.url : relay.url,
    metaAppId: sim.appId,
    dialogUrl: sim.url,
  };
  const keychainService = `Lead Inbox core test ${process.pid} ${Math.random().toString(36).slice(2, 8)}`;
  const tokens = createKeytarTokenStore(keychainService);
  const tuning = { ...fastTuning, ...opts.tuning };
  const boot = async (beforeStart?: (core: Core) => void, clock?: Clock) => {
    const d = makeDesktop(config, tokens, tuning, (url) => (stack.browser ?? followRedirects)(url), clock);
    beforeStart?.(d.core);
    await d.core.start();
    return d;
  };
  const stack: Stack = {
    root,
    dataDir,
    sim,
    relay,
    proxy,
    config,
    keychainService,
    tokens,
    browser: opts.browser,
    desktop: null as unknown as Desktop,
    async restartDesktop(o) {
      await stack.desktop.stop();
      stack.desktop = await boot(o?.beforeStart, o?.clock);
      return stack.desktop;
    },
    async close() {
      await stack.desktop.stop().catch(() => undefined);
      await proxy?.close();
      await relay.close();
      await sim.close();
      for (const c of await keytar.findCredentials(keychainService))
        await keytar.deletePassword(keychainService, c.account);
      rmSync(root, { recursive: true, force: true });
    },
  };
  stack.desktop = await boot();
  return stack;
}

function makeDesktop(
  config: CoreConfig,
  tokens: TokenStore,
  tuning: Partial<CoreTuning>,
  browser: Browser,
  clock?: Clock,
): Desktop {
  const notifications: NotificationRequest[] = [];
  const opened: string[] = [];
  const logger = createFileLogger({ dir: join(config.dataDir, 'logs') });
  const core = createCore({
    config,
    tokens,
    notifier: { notify: (n) => notifications.push(n) },
    // The owner's browser: follows the simulator's auto-approving dialog to the relay's callback.
    openExternal: async (url) => {
      opened.push(url);
      void browser(url);
    },
    logger,
    tuning,
    clock,
  });
  let stopped = false;
  return {
    core,
    notifications,
    opened,
    async call(method, input) {
      const r = await core.dispatch(method, input ?? {});
      if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
      return r.value as never;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await core.stop();
    },
  };
}

/** Polls until `fn` returns a truthy value (real sockets and workers are asynchronous). */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Timed out waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
}

/** Connect through the simulated login and enable the given pages (all when omitted). */
export async function connectAndEnable(stack: Stack, pageIds?: string[]): Promise<void> {
  const r = await stack.desktop.call('auth.connectFacebook');
  if (r.outcome !== 'connected') throw new Error(`login ended: ${r.outcome}`);
  const { pages } = await stack.desktop.call('pages.list');
  for (const p of pages) {
    if (!pageIds || pageIds.includes(p.id))
      await stack.desktop.call('pages.setEnabled', { pageId: p.id, enabled: true });
  }
}

/** connectAndEnable, then wait until the first page's first backfill has finished. */
export async function connectAndSync(stack: Stack): Promise<void> {
  await connectAndEnable(stack);
  await waitFor(
    async () => (await stack.desktop.call('pages.list')).pages[0]?.lastSyncAt,
    'first sync',
  );
}

export function leadRows(core: Core): {
  id: string;
  state: string;
  full_name: string | null;
  email: string | null;
  phone: string | null;
  answers: string;
}[] {
  return core.db
    .prepare('SELECT id, state, full_name, email, phone, answers FROM leads ORDER BY id')
    .all() as never;
}
