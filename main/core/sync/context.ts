import type { Settings } from '../../../shared/index';
import type { EventBus } from '../events';
import type { BackoffOptions } from '../graph/backoff';
import type { GraphClient } from '../graph/client';
import type { RateGate } from '../graph/rateGate';
import type { Clock, Logger, Notifier, TokenStore } from '../ports';
import type { Db } from '../store/db';
import type { LeadGroupWriter } from '../store/leadGroupWriter';
import type { CoreTuning } from '../tuning';

/** What every sync step needs; built once in app.ts. */
export interface SyncContext {
  db: Db;
  /** Writes backfill groups off the core thread (store/leadGroupWriter.ts). */
  leadGroups: LeadGroupWriter;
  graph: GraphClient;
  tokens: TokenStore;
  gate: RateGate;
  events: EventBus;
  notifier: Notifier;
  settings: () => Settings;
  clock: Clock;
  log: Logger;
  tuning: CoreTuning;
  /** The signal aborts waits (rate-limit pauses, backoff) when the core stops. */
  retry: { gate: RateGate; backoff: BackoffOptions; maxAttempts: number; signal?: AbortSignal };
  /** Meta app id, to find our entry in subscribed_apps. */
  appId: string;
  /** True once the core is stopping: long syncs end between pages instead of writing on. */
  stopping: () => boolean;
}

/** The owner's reconciliation period: a lost webhook shows up within one of these. */
export function reconciliationPeriodMs(ctx: Pick<SyncContext, 'settings' | 'tuning'>): number {
  return ctx.settings().sync.reconciliationMinutes * ctx.tuning.reconciliationMinuteMs;
}
