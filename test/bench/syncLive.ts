/**
 * The setup for sync.bench.ts: the simulator and the relay each in their own
 * process (as in production, where Meta and the relay are other machines), the desktop core in
 * this one. Driven through the simulator's HTTP control API.
 */
import { execFileSync, spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import keytar from 'keytar';
import { createCore, type Core } from '../../main/core/app';
import type { RawRow } from './baselines';
import { createKeytarTokenStore } from '../../main/core/keychain/keytarTokenStore';
import { createFileLogger } from '../../main/core/log/fileLogger';
import { freePort, startRelayProcess } from '../chaos/relayProcess';
import { fastTuning, waitFor } from '../core/harness';
import { cpuMsOf } from '../relay/benchKit';
import { leadFields } from '../../main/core/leads/normalise';
import type { CoreTuning } from '../../main/core/tuning';

const root = resolve(import.meta.dirname, '../..');
const appId = '1234567890123456';
const appSecret = 'bench-app-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ProcessStack {
  core: Core;
  control<T>(path: string, body: unknown): Promise<T>;
  call(
    method: string,
    input?: unknown,
  ): Promise<{ outcome?: string; pages?: { lastSyncAt: number | null }[] }>;
  /** CPU time the simulator process has used so far (Linux /proc), in ms; null elsewhere. */
  simCpuMs(): number | null;
  close(): Promise<void>;
}

/** Simulator and relay as child processes, the desktop core in this process, on a fresh folder. */
export async function startProcessStack(
  dir: string,
  tuning: Partial<CoreTuning> = {},
): Promise<ProcessStack> {
  const simPort = await freePort();
  const relayPort = await freePort();
  const simUrl = `http://127.0.0.1:${simPort}`;
  const sim = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/sim/cli.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SIM_PORT: String(simPort),
      META_APP_ID: appId,
      META_APP_SECRET: appSecret,
      SIM_WEBHOOK_URL: `http://127.0.0.1:${relayPort}/webhooks/meta`,
      SIM_SCENARIO: 'empty',
      SIM_OAUTH_AUTO: '1',
    },
  });
  sim.stderr.resume();
  await new Promise<void>((ok, fail) => {
    sim.stdout.on('data', (d: Buffer) => String(d).includes('Meta simulator on') && ok());
    sim.once('exit', () => fail(new Error('simulator exited')));
  });
  const relay = await startRelayProcess({
    dataDir: join(dir, 'relay'),
    appId,
    appSecret,
    verifyToken: 'bench',
    graphApiUrl: simUrl,
    port: relayPort,
  });
  const service = `Lead Inbox bench ${process.pid}`;
  const dataDir = join(dir, 'desktop');
  mkdirSync(dataDir, { recursive: true });
  const core = createCore({
    config: {
      dataDir,
      graphApiUrl: simUrl,
      graphVersion: 'v25.0',
      relayUrl: relay.url,
      metaAppId: appId,
      dialogUrl: simUrl,
    },
    tokens: createKeytarTokenStore(service),
    notifier: { notify: () => undefined },
    openExternal: async (url) => void fetch(url, { redirect: 'follow' }).catch(() => undefined),
    logger: createFileLogger({ dir: join(dataDir, 'logs') }),
    tuning: { ...fastTuning, pageSize: 500, ...tuning },
  });
  await core.start();
  return {
    core,
    async control<T>(path: string, body: unknown): Promise<T> {
      const res = await fetch(`${simUrl}/_sim/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`sim control ${path}: HTTP ${res.status}`);
      return (await res.json()) as T;
    },
    simCpuMs: () => {
      try {
        return cpuMsOf(sim.pid!);
      } catch {
        return null; // no /proc here
      }
    },
    async call(method, input = {}) {
      const r = await core.dispatch(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as never;
    },
    async close() {
      await core.stop();
      await relay.stop();
      sim.kill();
      for (const c of await keytar.findCredentials(service))
        await keytar.deletePassword(service, c.account);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `count` leads on the form, spread over the 90 days of history a first connect pulls. Their
 * answers to the fields the desktop asks for are rendered now, as Meta serves them from its own
 * servers: on this machine the simulator's JSON rendering would otherwise take CPU from the
 * desktop being measured (backfillAcrossProcesses reports what the simulator still uses).
 */
async function seedHistory(s: ProcessStack, formId: string, count: number): Promise<void> {
  const nowS = Math.floor(Date.now() / 1000);
  await s.control('leads/bulk', {
    formId,
    count,
    fromS: nowS - 89 * 86_400,
    toS: nowS - 60,
    renderFields: leadFields,
  });
}

/**
 * Enable → every lead committed and complete, in leads/s, and the longest the core's thread was
 * held meanwhile (event-loop delay: how long a click or a live webhook would have waited); returns
 * the stored rows for the baselines.
 */
export async function backfillAcrossProcesses(
  dir: string,
  count: number,
  tuning: Partial<CoreTuning> = {},
): Promise<{
  leadsPerSec: number;
  coreHeldMaxMs: number;
  simCpuMs: number | null;
  rows: RawRow[];
}> {
  const s = await startProcessStack(dir, tuning);
  try {
    const page = await s.control<{ id: string }>('pages', {
      name: 'Bench Page',
      subscribed: false,
    });
    const form = await s.control<{ id: string }>('forms', { pageId: page.id, name: 'Bench form' });
    await seedHistory(s, form.id, count);
    if ((await s.call('auth.connectFacebook')).outcome !== 'connected')
      throw new Error('login failed');
    const done = new Promise<void>((ok) =>
      s.core.events.on('sync.progress', (p) => (p.phase === 'done' || p.phase === 'error') && ok()),
    );
    // The runs before this one (and their baselines) left hundreds of MB for the kernel to write
    // back, which it does 30 s later, in the middle of this run, where every commit's fsync queues
    // behind it. Flushed first, each run starts from a quiet disk, as a first connect does.
    execFileSync('sync');
    const delay = monitorEventLoopDelay({ resolution: 5 });
    const t0 = performance.now();
    const simCpu0 = s.simCpuMs();
    delay.enable();
    await s.call('pages.setEnabled', { pageId: page.id, enabled: true });
    await done;
    const ms = performance.now() - t0;
    const simCpu1 = s.simCpuMs();
    delay.disable();
    const rows = s.core.db
      .prepare(`SELECT * FROM leads WHERE state = 'complete'`)
      .all() as RawRow[];
    // The doc id is the store's own bookkeeping: each baseline's insert gives it, or not, itself.
    for (const r of rows) delete r.search_doc;
    if (rows.length !== count) throw new Error(`backfill stored ${rows.length} of ${count}`);
    return {
      leadsPerSec: (count * 1000) / ms,
      coreHeldMaxMs: delay.max / 1e6,
      simCpuMs: simCpu0 === null || simCpu1 === null ? null : simCpu1 - simCpu0,
      rows,
    };
  } finally {
    await s.close();
  }
}

/**
 * Submits a lead on the form every 1000/perSec ms while more(i) holds, then waits until each is
 * complete (`completeAt` is filled by the caller's lead.updated listener). Returns the submit
 * times by lead id.
 */
async function sendPacedLeads(
  s: ProcessStack,
  formId: string,
  perSec: number,
  more: (i: number) => boolean,
  completeAt: Map<string, number>,
): Promise<Map<string, number>> {
  const sent = new Map<string, number>();
  const start = performance.now();
  for (let i = 0; more(i); i++) {
    const wait = start + (i * 1000) / perSec - performance.now();
    if (wait > 0) await sleep(wait);
    const t = performance.now();
    const lead = await s.control<{ id: string }>('leads', { formId });
    sent.set(lead.id, t);
  }
  await waitFor(
    () => [...sent.keys()].every((id) => completeAt.has(id)),
    'every live lead complete',
    60_000,
  );
  return sent;
}

/** Per live lead, in ms: the whole path and its two halves, split at the pending row's commit. */
export interface LiveLatency {
  /** Control call to the simulator → lead committed and complete. */
  total: number[];
  /** Control call → pending row committed (simulator webhook POST, relay commit + frame, core ingest). */
  toPending: number[];
  /** Pending row committed → complete (fetch worker: Graph GET to the simulator, normalise, upsert). */
  toComplete: number[];
}

export async function liveLatencyAcrossProcesses(
  dir: string,
  count: number,
  perSec: number,
): Promise<LiveLatency> {
  const s = await startProcessStack(dir);
  try {
    const page = await s.control<{ id: string }>('pages', { name: 'Live Page', subscribed: false });
    const form = await s.control<{ id: string }>('forms', { pageId: page.id });
    if ((await s.call('auth.connectFacebook')).outcome !== 'connected')
      throw new Error('login failed');
    await s.call('pages.setEnabled', { pageId: page.id, enabled: true });
    await waitFor(
      async () => (await s.call('pages.list')).pages?.[0]?.lastSyncAt,
      'first sync',
      30_000,
    );
    // Event times by lead id; the control call's answer may come after either event.
    const pendingAt = new Map<string, number>();
    const completeAt = new Map<string, number>();
    s.core.events.on('lead.received', ({ lead }) => pendingAt.set(lead.id, performance.now()));
    // As before each backfill run: the writes of the runs before this one are on disk before it
    // starts, so each live commit's fsync waits for its own pages, not for the bench's backlog.
    execFileSync('sync');
    s.core.events.on('lead.updated', ({ lead }) => {
      if (lead.state === 'complete') completeAt.set(lead.id, performance.now());
    });
    const sent = await sendPacedLeads(s, form.id, perSec, (i) => i < count, completeAt);
    const out: LiveLatency = { total: [], toPending: [], toComplete: [] };
    for (const [id, t] of sent) {
      const done = completeAt.get(id)!;
      out.total.push(done - t);
      const pending = pendingAt.get(id);
      if (pending === undefined) continue; // completed by a sync before its webhook arrived
      out.toPending.push(pending - t);
      out.toComplete.push(done - pending);
    }
    return out;
  } finally {
    await s.close();
  }
}

/**
 * Live leads while a first connect's backfill runs: one page already live, then a second page with
 * `count` leads of history is enabled, and a lead is submitted on the first page every
 * 1000/perSec ms until the backfill is done. Per live lead, control call → committed and complete.
 */
export async function liveDuringBackfill(
  dir: string,
  count: number,
  perSec: number,
  tuning: Partial<CoreTuning> = {},
): Promise<number[]> {
  const s = await startProcessStack(dir, tuning);
  try {
    const live = await s.control<{ id: string }>('pages', { name: 'Live Page', subscribed: false });
    const liveForm = await s.control<{ id: string }>('forms', { pageId: live.id });
    const big = await s.control<{ id: string }>('pages', {
      name: 'History Page',
      subscribed: false,
    });
    const bigForm = await s.control<{ id: string }>('forms', { pageId: big.id });
    await seedHistory(s, bigForm.id, count);
    if ((await s.call('auth.connectFacebook')).outcome !== 'connected')
      throw new Error('login failed');
    await s.call('pages.setEnabled', { pageId: live.id, enabled: true });
    await waitFor(
      async () => (await s.call('pages.list')).pages?.some((p) => p.lastSyncAt),
      'the live page synced',
      30_000,
    );
    const completeAt = new Map<string, number>();
    s.core.events.on('lead.updated', ({ lead }) => {
      if (lead.state === 'complete') completeAt.set(lead.id, performance.now());
    });
    let backfilling = true;
    s.core.events.on('sync.progress', (p) => {
      if (p.pageId === big.id && (p.phase === 'done' || p.phase === 'error')) backfilling = false;
    });
    await s.call('pages.setEnabled', { pageId: big.id, enabled: true });
    const sent = await sendPacedLeads(s, liveForm.id, perSec, () => backfilling, completeAt);
    return [...sent].map(([id, t]) => completeAt.get(id)! - t);
  } finally {
    await s.close();
  }
}
