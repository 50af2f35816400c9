/**
 * `npm run demo`: a local relay, the Meta simulator with believable demo data (auto-approving
 * login), and the app connected to both; then a new lead and a new message every few seconds.
 * Where the Electron binary is unavailable it says so in one line and opens the same app through
 * the Node host in the browser instead (`npm run web`), printing its URL.
 *
 * Env: SIM_PORT (8788), RELAY_PORT (8787), DEMO_INTERVAL_MS (4000), DEMO_DATA_DIR (.demo-data),
 * SIM_SEED (1), DEMO_AUTOCONNECT (1; 0 = leave Connect to the owner, browser mode only). Drive it further with `npm run sim:ctl -- help` from another terminal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../relay/logger';
import { createRelay, type Relay } from '../../relay/server';
import { completeLogin, connectThroughHost } from './demoConnect';
import { electronBinary } from '../../main/tools/native-abi.mjs';
import { rerunInsidePrivateKeyringIfNeeded } from '../../main/tools/privateKeyring';
import { createSimulator, type Simulator } from './server';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
// The app keeps its (simulated) tokens in the OS keychain, as it does for real ones.
rerunInsidePrivateKeyringIfNeeded(root, fileURLToPath(import.meta.url), 'running the demo');
const env = process.env;
const dataDir = resolve(root, env.DEMO_DATA_DIR || '.demo-data');
const intervalMs = Number(env.DEMO_INTERVAL_MS || 4000);
const appId = env.META_APP_ID || '1234567890123456';
// A fresh secret per run: it never leaves this machine and is shared by simulator and relay only.
const appSecret = randomBytes(24).toString('hex');

/** A fixed port when free (so `npm run sim:ctl` finds the simulator), else an ephemeral one. */
async function onPort<T>(port: number, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    console.log(`port ${port} is busy; using a free one`);
    return start(0);
  }
}

async function main(): Promise<void> {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  const sim: Simulator = await onPort(Number(env.SIM_PORT || 8788), (port) =>
    createSimulator({
      port,
      appId,
      appSecret,
      seed: Number(env.SIM_SEED || 1),
      oauthAutoApprove: true,
    }),
  );
  const relay: Relay = await onPort(Number(env.RELAY_PORT || 8787), (port) =>
    createRelay({
      port,
      dataDir: join(dataDir, 'relay'),
      appId,
      appSecret,
      verifyToken: randomBytes(12).toString('hex'),
      graphApiUrl: sim.url,
      log: silentLogger,
    }),
  );
  sim.control.configureWebhooks({
    url: `${relay.url}/webhooks/meta`,
    deauthorizeUrl: `${relay.url}/webhooks/meta/deauthorize`,
  });
  const scenario = sim.control.loadScenario({ name: 'demo' });

  console.log(
    `Meta simulator  ${sim.url}  (${scenario.pages.length} pages, ${scenario.leads} leads, ${scenario.conversations} conversations, WhatsApp ${scenario.whatsapp ? 'on' : 'off'})`,
  );
  console.log(`Relay           ${relay.url}`);

  const appEnv = {
    ...env,
    GRAPH_API_URL: sim.url,
    META_DIALOG_URL: sim.url,
    RELAY_URL: relay.url,
    LEAD_INBOX_DATA_DIR: join(dataDir, 'desktop'),
    META_APP_ID: appId,
  };
  const electron = electronBinary(root);
  let app: ChildProcess;
  if (electron.path) {
    console.log('Click "Connect Facebook" in the app: the simulated login approves by itself.');
    app = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['start'], {
      cwd: root,
      env: appEnv,
      stdio: 'inherit',
    });
  } else {
    console.log(
      'Electron is unavailable on this machine (its binary was not downloaded), so the app opens in your browser instead.',
    );
    // main/host/cli.ts builds the renderer if needed, starts the Node host and prints its URL.
    app = spawn(process.execPath, ['--import', 'tsx', join(root, 'main/host/cli.ts')], {
      cwd: root,
      env: appEnv,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    watchHost(app, sim, scenario);
  }

  const timer = setInterval(() => tick(sim, scenario), intervalMs);
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    if (app.exitCode === null) app.kill('SIGTERM');
    await relay.close();
    await sim.close();
    process.exit(code);
  };
  app.on('exit', (code) => void stop(code ?? 0));
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/**
 * Echoes the host's output and acts on two lines: its URL (connect through its API, as the UI's
 * Connect button would) and a login URL it asks the owner's browser to open (complete it here,
 * so the demo also runs where no browser can open).
 */
function watchHost(
  app: ChildProcess,
  sim: Simulator,
  scenario: ReturnType<Simulator['control']['loadScenario']>,
): void {
  let buffer = '';
  app.stdout!.setEncoding('utf8');
  app.stdout!.on('data', (chunk: string) => {
    process.stdout.write(chunk);
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const running = /running at (\S+)/.exec(line);
      if (running && env.DEMO_AUTOCONNECT !== '0') {
        connectThroughHost(running[1]!, scenario)
          .then((msg) => console.log(msg))
          .catch((e: unknown) =>
            console.error(
              `demo: could not connect automatically (${e instanceof Error ? e.message : String(e)}); use Connect in the app`,
            ),
          );
      }
      const login = /Open this address to continue: (\S+)/.exec(line);
      if (login) void completeLogin(login[1]!, sim.url);
    }
  });
}

let n = 0;
/** Alternates: a lead, a Messenger/Instagram message, a lead, a WhatsApp message… */
function tick(sim: Simulator, scenario: ReturnType<Simulator['control']['loadScenario']>): void {
  const c = sim.control;
  const page = scenario.pages[n % scenario.pages.length]!;
  try {
    if (n % 2 === 0) {
      const lead = c.createLead({ formId: page.forms[(n / 2) % page.forms.length]! });
      const name = lead.fieldData.find((d) => d.name === 'full_name')?.values[0] ?? lead.id;
      console.log(`+ lead ${name} on ${page.name}`);
    } else if (n % 4 === 1 || !scenario.whatsapp) {
      const platform = page.instagramId && n % 3 === 0 ? 'instagram' : 'messenger';
      c.inboundMessage({ pageId: page.id, platform });
      console.log(`+ ${platform} message to ${page.name}`);
    } else {
      c.whatsappInbound({
        phoneNumberId: scenario.whatsapp.phoneNumberId,
        type: n % 8 === 3 ? 'image' : 'text',
      });
      console.log('+ WhatsApp message');
    }
  } catch (e) {
    console.error(`demo tick failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  n++;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
