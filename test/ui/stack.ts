/**
 * The whole app on loopback for browser tests and benchmarks: the Meta simulator, the relay, the
 * desktop core on a temp data folder and the Node host serving the built renderer. Everything is
 * real (SQLite files, sockets, keytar under a private keyring when one is running).
 * Other areas reuse this through test/ui/fixture.ts (Playwright) or startStack() directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { createCore, type Core } from '../../main/core/app';
import { configFromEnv, type CoreConfig } from '../../main/core/config';
import { createKeytarTokenStore } from '../../main/core/keychain/keytarTokenStore';
import { createFileLogger } from '../../main/core/log/fileLogger';
import { createHostNotifier } from '../../main/host/notifier';
import type { CoreTuning } from '../../main/core/tuning';
import { startHost, type Host } from '../../main/host/server';
import { createRelay, type Relay } from '../../relay/server';
import { silentLogger } from '../../relay/logger';
import { createSimulator, type Simulator } from '../sim/server';

export const appSecret = 'ui-test-app-secret';
export const verifyToken = 'ui-test-verify-token';

export interface StackOptions {
  /** Reuse a data folder (restart tests); a fresh temp one otherwise. */
  dataDir?: string;
  /** Start without simulator + relay (pure UI tests on seeded data; faster). */
  offline?: boolean;
  /** Another renderer build to serve (benchmarks compare a baseline build in the same run). */
  staticDir?: string;
}

export interface Stack {
  dataDir: string;
  sim: Simulator | null;
  relay: Relay | null;
  core: Core;
  host: Host;
  /** Opened URLs the core asked the owner's browser to open (OAuth), answered by fetching them. */
  opened: string[];
  /** Connects Facebook through the simulated login and enables every page the owner has. */
  connect(): Promise<void>;
  /** Stops host + core and starts them again on the same data folder (sim and relay keep running). */
  restart(): Promise<void>;
  /** Account names this run's keychain service holds (tokens themselves are never read). */
  keychainAccounts(): Promise<string[]>;
  close(): Promise<void>;
}

const keychainService = `Lead Inbox UI test ${process.pid} ${Math.random().toString(36).slice(2, 8)}`;

/** Short backoffs so retry paths run in milliseconds (same values as test/core). */
const tuning: Partial<CoreTuning> = {
  fetchBackoff: { baseMs: 20, maxMs: 200 },
  syncBackoff: { baseMs: 10, maxMs: 100 },
  relayBackoff: { baseMs: 20, maxMs: 300 },
  oauthPollMs: 20,
  oauthTimeoutMs: 5_000,
  relayHeartbeatMs: 1_000,
};

async function startDesktop(config: CoreConfig, opened: string[], staticDir = 'dist/renderer'): Promise<{ core: Core; host: Host }> {
  const logger = createFileLogger({ dir: join(config.dataDir, 'logs') });
  const core = createCore({
    config,
    tokens: createKeytarTokenStore(keychainService),
    notifier: createHostNotifier(logger),
    // The "browser" that completes Facebook login: the simulator's dialog auto-approves and
    // redirects to the relay's OAuth callback, exactly as a real browser would follow it.
    openExternal: async (url) => {
      opened.push(url);
      void fetch(url, { redirect: 'follow' }).catch(() => {});
    },
    logger,
    tuning,
  });
  await core.start();
  const host = await startHost({ core, port: 0, staticDir, exportsDir: join(config.dataDir, 'exports') });
  return { core, host };
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const root = mkdtempSync(join(tmpdir(), 'lead-inbox-ui-'));
  const dataDir = opts.dataDir ?? join(root, 'desktop');
  let sim: Simulator | null = null;
  let relay: Relay | null = null;
  if (!opts.offline) {
    sim = await createSimulator({ appSecret, webhookUrl: null, oauthAutoApprove: true, webhookRetryBaseMs: 20 });
    relay = await createRelay({
      port: 0,
      dataDir: join(root, 'relay'),
      appId: sim.appId,
      appSecret,
      verifyToken,
      graphApiUrl: sim.url,
      log: silentLogger,
    });
    sim.context.webhooks.setUrl(`${relay.url}/webhooks/meta`);
  }
  const config: CoreConfig = {
    ...configFromEnv({}, { dataDir }),
    graphApiUrl: sim?.url ?? 'http://127.0.0.1:9',
    relayUrl: relay?.url ?? null,
    metaAppId: sim?.appId ?? '1234567890123456',
    // The simulator's login dialog stands in for www.facebook.com.
    dialogUrl: sim?.url,
  };
  const opened: string[] = [];
  let desktop = await startDesktop(config, opened, opts.staticDir);

  const stack: Stack = {
    dataDir,
    sim,
    relay,
    get core() {
      return desktop.core;
    },
    get host() {
      return desktop.host;
    },
    opened,
    async connect() {
      const call = async (method: string, input: unknown = {}) => {
        const r = await desktop.core.dispatch(method, input);
        if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
        return r.value as never;
      };
      const login = (await call('auth.connectFacebook')) as { outcome: string };
      if (login.outcome !== 'connected') throw new Error(`Facebook login ended: ${login.outcome}`);
      const { pages } = (await call('pages.list')) as { pages: { id: string }[] };
      for (const p of pages) await call('pages.setEnabled', { pageId: p.id, enabled: true });
    },
    async restart() {
      await desktop.host.close();
      await desktop.core.stop();
      desktop = await startDesktop(config, opened, opts.staticDir);
    },
    async keychainAccounts() {
      return (await keytar.findCredentials(keychainService)).map((c) => c.account).sort();
    },
    async close() {
      await desktop.host.close();
      await desktop.core.stop();
      await relay?.close();
      await sim?.close();
      for (const c of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, c.account);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return stack;
}
