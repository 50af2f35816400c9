import type { Problem } from '../../../shared/index';
import { connectWhatsapp, disconnectWhatsapp, ensureWhatsappBindings } from '../auth/whatsapp';
import { FacebookLogin } from '../auth/facebookLogin';
import { emitAccountsAndPages, markNeedsReconnect } from '../auth/needsReconnect';
import { disablePage, enablePage, ensureBindings, type PageAccessDeps } from '../auth/pageAccess';
import { permissionsHandler } from '../auth/permissionsEvent';
import type { CoreConfig } from '../config';
import type { EventBus } from '../events';
import { GraphClient } from '../graph/client';
import { RateGate } from '../graph/rateGate';
import type { IngestRegistry } from '../ingest/registry';
import { LeadFetchWorker } from '../leads/fetchWorker';
import { leadgenHandler } from '../leads/ingestLeadgen';
import type { Clock, Logger, Notifier, OpenExternal, TokenStore } from '../ports';
import { cachedTokenStore } from '../keychain/cachedTokenStore';
import { RelayApi } from '../relayClient/relayApi';
import { RelayStream } from '../relayClient/stream';
import type { SettingsService } from '../settings/settingsService';
import type { Db } from '../store/db';
import type { CoreTuning } from '../tuning';
import { connectionStatus } from './connectionStatus';
import type { SyncContext } from './context';
import { createLeadGroupWriter } from '../store/leadGroupWriter';
import { createLeadSyncHandlers, type LeadSyncHandlers } from './handlers';
import { SyncEngine } from './syncEngine';

export interface LeadSyncDeps {
  db: Db;
  events: EventBus;
  registry: IngestRegistry;
  config: CoreConfig;
  tokens: TokenStore;
  notifier: Notifier;
  openExternal: OpenExternal;
  logger: Logger;
  clock: Clock;
  settings: SettingsService;
  tuning: CoreTuning;
  clientVersion: string;
}

export interface LeadSync {
  handlers: LeadSyncHandlers;
  relay: RelayApi;
  stream: RelayStream;
  worker: LeadFetchWorker;
  sync: SyncEngine;
  gate: RateGate;
  start(): void;
  stop(): Promise<void>;
  /** The computer woke or the network came back: reconnect now and catch up. */
  wake(): void;
}

/**
 * Connect + live leads + catch-up sync, assembled from their modules: the relay stream feeding
 * the ingest registry, the lead fetch worker, the sync engine and its timer, login and page
 * access. app.ts calls this once and spreads `handlers` into the API table.
 */
export function createLeadSync(deps: LeadSyncDeps): LeadSync {
  const { db, events, clock, tuning, logger: log } = deps;
  const tokens = cachedTokenStore(deps.tokens);
  const settings = () => deps.settings.get();
  const relayUrl = () => settings().general.relayUrl ?? deps.config.relayUrl;
  const gate = new RateGate({
    clock,
    maxPauseMs: tuning.rateLimitMaxPauseMs,
    defaultPauseMs: tuning.rateLimitDefaultPauseMs,
  });
  const graph = new GraphClient({
    baseUrl: deps.config.graphApiUrl,
    version: deps.config.graphVersion,
    onUsage: gate.onUsage,
  });
  let stopping = false;
  const stopSignal = new AbortController();
  // Work started in the background (a page's first backfill, token checks) is awaited by stop(),
  // so nothing writes to the database after it closes.
  const inflight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    const settled = p.catch((e: unknown) =>
      log.warn('background task failed', { error: e instanceof Error ? e.message : String(e) }),
    );
    inflight.add(settled);
    void settled.finally(() => inflight.delete(settled));
  };
  const ctx: SyncContext = {
    db,
    leadGroups: createLeadGroupWriter(db, log, {
      thread: tuning.backfillWriterThread,
      maxLeads: tuning.backfillQueuedLeads,
    }),
    graph,
    tokens,
    gate,
    events,
    notifier: deps.notifier,
    settings,
    clock,
    log,
    tuning,
    retry: {
      gate,
      backoff: tuning.syncBackoff,
      maxAttempts: tuning.syncMaxAttempts,
      signal: stopSignal.signal,
    },
    appId: deps.config.metaAppId,
    stopping: () => stopping,
  };
  const reconnectDeps = { db, events, notifier: deps.notifier, clock, settings };
  const onReauth = (target: { pageId?: string; accountId?: string }, problem: Problem) => {
    markNeedsReconnect(reconnectDeps, target, problem);
    emitStatus();
  };

  const relay = new RelayApi({
    db,
    tokens,
    relayUrl,
    client: deps.clientVersion,
    // A new install id has no bindings: forget ours so the next welcome binds everything again.
    onReregistered: () => {
      db.prepare('UPDATE pages SET bound_at = NULL').run();
      db.prepare('UPDATE whatsapp_numbers SET bound_at = NULL').run();
    },
  });
  const worker = new LeadFetchWorker({
    ...ctx,
    backoff: tuning.fetchBackoff,
    concurrency: 8,
    onReauth: (pageId, problem) => onReauth({ pageId }, problem),
  });
  const sync = new SyncEngine({ ctx, relay, onReauth });
  const pageAccess: PageAccessDeps = {
    ctx,
    relay,
    onReauth,
    startSync: (pageId) => track(sync.syncPage(pageId).then(() => worker.wake())),
    emitChanged: () => emitAccountsAndPages(reconnectDeps),
  };
  const stream = new RelayStream({
    db,
    api: relay,
    registry: deps.registry,
    log,
    clock,
    client: deps.clientVersion,
    backoff: tuning.relayBackoff,
    heartbeatMs: tuning.relayHeartbeatMs,
    onStatus: () => emitStatus(),
    onGap: () => track(sync.reconcile()),
    onConnected: (offlineMs) => {
      track(ensureBindings(pageAccess).then(() => ensureWhatsappBindings(ctx, relay)));
      // Back after a real outage (sleep, network loss): the relay replays what it holds, and a
      // catch-up covers anything that never reached it.
      if (offlineMs !== null && offlineMs > 60_000) track(sync.reconcile());
    },
  });

  deps.registry.register(
    'page',
    leadgenHandler({ events, now: () => clock.now(), wakeWorker: () => worker.wake() }),
  );
  deps.registry.register('permissions', permissionsHandler(reconnectDeps));

  const status = () => connectionStatus({ db, stream, sync, relayUrl: relayUrl() });
  let lastStatus = '';
  function emitStatus(): void {
    const s = status();
    const key = JSON.stringify({ ...s, lastEventAt: null, backlog: null, pendingLeads: null });
    if (key === lastStatus) return;
    lastStatus = key;
    events.emit('connection.changed', s);
  }
  // Logins and pages change outside the stream too (a permissions event, disconnect, a sync's
  // error): the banner's state is recomputed then, not only when the relay connection moves.
  events.on('accounts.changed', () => emitStatus());
  events.on('pages.changed', () => emitStatus());
  let previousRelayUrl = relayUrl();
  deps.settings.onChange(() => {
    sync.schedule();
    if (relayUrl() !== previousRelayUrl) {
      previousRelayUrl = relayUrl();
      stream.reconnect();
    }
  });

  const login = new FacebookLogin({
    relay,
    openExternal: deps.openExternal,
    appId: deps.config.metaAppId,
    graphVersion: deps.config.graphVersion,
    dialogUrl: deps.config.dialogUrl ?? process.env.META_DIALOG_URL ?? 'https://www.facebook.com',
    pollMs: tuning.oauthPollMs,
    timeoutMs: tuning.oauthTimeoutMs,
    now: () => clock.now(),
  });

  const handlers = createLeadSyncHandlers({
    ctx,
    relay,
    login,
    sync,
    worker,
    pageAccess,
    status,
    track,
    settings: deps.settings,
    reconnectDeps,
    enablePage: (id) => enablePage(pageAccess, id),
    disablePage: (id) => disablePage(pageAccess, id),
    connectWhatsapp: (input) => connectWhatsapp(ctx, relay, input),
    disconnectWhatsapp: (id) => disconnectWhatsapp(ctx, relay, id),
  });

  return {
    handlers,
    relay,
    stream,
    worker,
    sync,
    gate,
    start() {
      // A sync cut short by a crash or kill left its page marked 'syncing'; the next cycle redoes it.
      db.prepare(`UPDATE pages SET status = 'ok' WHERE status = 'syncing'`).run();
      stream.start();
      worker.start();
      sync.start();
    },
    async stop() {
      stopping = true;
      stopSignal.abort();
      login.cancel();
      await stream.stop();
      await Promise.all([sync.stop(), worker.stop()]);
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
      await ctx.leadGroups.close();
    },
    wake() {
      stream.nudge();
      worker.wake();
      track(sync.reconcile());
    },
  };
}
