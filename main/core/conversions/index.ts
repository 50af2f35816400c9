import type { ConversionsHealth } from '../../../shared/index';
import type { EventBus } from '../events';
import { GraphClient } from '../graph/client';
import type { Usage } from '../graph/usage';
import type { Clock, Logger, TokenStore } from '../ports';
import type { Db } from '../store/db';
import { eventsForLead, queueCounts, queueMissedStageChanges, recordStageChange, requeueFailed } from './queue';
import { ApiError } from '../../../shared/index';
import { keychainAccounts } from '../keychain/accounts';
import { createCapiSender } from './sender';
import { readConversionSettings, writeConversionSettings } from './settings';

export { recordStageChange } from './queue';
export { readConversionSettings } from './settings';

export interface ConversionsDeps {
  db: Db;
  /** Graph API base and pinned version (CoreConfig); the sender keeps its own client to read usage headers. */
  graphApiUrl: string;
  graphVersion: string;
  tokens: TokenStore;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  /** How often the sender looks for due events when nothing wakes it; default 30 s. */
  intervalMs?: number;
  random?: () => number;
  /** Calls to Meta per round at most (bisecting a rejected batch); default 64. */
  maxCallsPerRound?: number;
}

/**
 * Conversion feedback to Meta: API handlers plus a background sender. The sender wakes on a timer
 * and whenever a lead changes, so a stage change reaches Meta within seconds when online and is
 * kept in SQLite (never lost) when not.
 */
export function createConversions(deps: ConversionsDeps) {
  const { db, events, clock, logger } = deps;
  let lastUsage: Usage | null = null;
  const graph = new GraphClient({ baseUrl: deps.graphApiUrl, version: deps.graphVersion, onUsage: (u) => (lastUsage = u) });
  const sender = createCapiSender({ ...deps, graph, usage: () => lastUsage });
  let reauthMessage: string | null = null;
  let lastRetrying = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;
  /** A full scan for missed stage changes is due (start, settings change); else only changed leads. */
  let scanAll = true;
  const changedLeads = new Set<string>();
  let debounce: NodeJS.Timeout | null = null;
  const unsubscribe: (() => void)[] = [];

  function health(): ConversionsHealth {
    const counts = queueCounts(db);
    const settings = readConversionSettings(db);
    const state = !settings.datasetId ? 'off' : reauthMessage ? 'reauth_required' : lastRetrying ? 'retrying' : 'ok';
    return { state, message: reauthMessage, ...counts };
  }

  /** One round: heal missed stage changes, send what is due, tell the UI what changed. */
  async function tick(): Promise<void> {
    const queued: string[] = [];
    if (scanAll) {
      scanAll = false;
      queued.push(...queueMissedStageChanges(db, clock.now()));
    }
    for (const id of changedLeads) queued.push(...queueMissedStageChanges(db, clock.now(), id));
    changedLeads.clear();
    const out = await sender.sendDue();
    const before = JSON.stringify(health());
    reauthMessage = out.reauth ?? (out.sent > 0 ? null : reauthMessage);
    lastRetrying = (out.retrying > 0 && !out.reauth) || sender.slowedDown();
    const leadIds = new Set([...queued, ...out.leadIds]);
    if (leadIds.size === 1) events.emit('conversions.updated', { leadId: [...leadIds][0]! });
    else if (leadIds.size > 1) events.emit('conversions.updated', { leadId: null });
    const after = health();
    if (leadIds.size > 0 || JSON.stringify(after) !== before) events.emit('conversions.health', after);
  }

  /** Runs a tick now, or right after the one in flight; never two at once. */
  function wake(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await tick();
        } catch (e) {
          logger.error('conversions tick failed', { error: String(e) });
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  const handlers = {
    'conversions.getSettings': () => ({ settings: readConversionSettings(db), health: health() }),
    'conversions.updateSettings': (patch: Parameters<typeof writeConversionSettings>[1]) => {
      const settings = writeConversionSettings(db, patch);
      scanAll = true;
      sender.forgetRefusedTokens();
      reauthMessage = null;
      void wakeIfStarted();
      return { settings, health: health() };
    },
    'conversions.systemToken': async () => {
      const { datasetId } = readConversionSettings(db);
      return { present: datasetId ? (await deps.tokens.get(keychainAccounts.capi(datasetId))) !== null : false };
    },
    'conversions.setSystemToken': async ({ token }: { token: string | null }) => {
      const { datasetId } = readConversionSettings(db);
      if (!datasetId) {
        throw new ApiError({ code: 'invalid_input', message: 'Connect a dataset id first; the token belongs to it.' });
      }
      if (token) await deps.tokens.set(keychainAccounts.capi(datasetId), token);
      else await deps.tokens.delete(keychainAccounts.capi(datasetId));
      resumePaused();
      return { present: token !== null };
    },
    'conversions.forLead': ({ leadId }: { leadId: string }) => ({ events: eventsForLead(db, leadId) }),
    'conversions.retry': ({ leadId }: { leadId?: string }) => {
      const requeued = requeueFailed(db, clock.now(), leadId);
      sender.forgetRefusedTokens();
      reauthMessage = null;
      void wakeIfStarted();
      return { requeued };
    },
  };

  /** New credentials: forget refused tokens and send what waited for them without further delay. */
  function resumePaused(): void {
    sender.forgetRefusedTokens();
    reauthMessage = null;
    const now = clock.now();
    db.prepare("UPDATE capi_events SET next_attempt_at = ? WHERE status = 'pending' AND next_attempt_at > ?").run(now, now);
    void wakeIfStarted();
  }

  function wakeIfStarted(): Promise<void> {
    return stopped ? Promise.resolve() : wake();
  }

  return {
    handlers,
    /** "Disconnect and delete data": the dataset link and every Conversions API token leave; preferences stay. */
    async disconnect(): Promise<void> {
      for (const account of await deps.tokens.list())
        if (account.startsWith(keychainAccounts.capiPrefix)) await deps.tokens.delete(account);
      writeConversionSettings(db, { datasetId: null, testEventCode: null });
      sender.forgetRefusedTokens();
      reauthMessage = null;
    },
    /** Also for tests: run one full round and wait for it. */
    runOnce: wake,
    recordStageChange: (leadId: string, stage: string, at: number) => recordStageChange(db, leadId, stage, at),
    start() {
      if (!stopped) return;
      stopped = false;
      // A lead changed (status, fields): its stage may need queuing, and the sender may have work.
      // Debounced: a sync can update thousands of leads in a second.
      unsubscribe.push(
        events.on('lead.updated', ({ lead }) => {
          changedLeads.add(lead.id);
          debounce ??= setTimeout(() => {
            debounce = null;
            void wake();
          }, 250);
        }),
      );
      // The owner reconnected Facebook: events paused on a refused or missing token go now.
      const resumeAfterReconnect = () => {
        if (reauthMessage !== null) resumePaused();
      };
      unsubscribe.push(events.on('accounts.changed', resumeAfterReconnect));
      unsubscribe.push(events.on('pages.changed', resumeAfterReconnect));
      const loop = () => {
        timer = setTimeout(() => void wake().finally(() => !stopped && loop()), deps.intervalMs ?? 30_000);
        timer.unref?.();
      };
      loop();
      void wake();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (debounce) clearTimeout(debounce);
      debounce = null;
      unsubscribe.splice(0).forEach((u) => u());
      await running;
    },
  };
}

export type Conversions = ReturnType<typeof createConversions>;
