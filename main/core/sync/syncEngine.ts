import type { Problem, SyncResult } from '../../../shared/index';
import type { RelayApi } from '../relayClient/relayApi';
import { kvGet, kvKeys, kvSet } from '../store/kv';
import { enabledPages } from '../store/pages';
import { reconciliationPeriodMs, type SyncContext } from './context';
import { recheckSubscriptions } from './subscriptions';
import { syncPage, type PageSyncResult } from './syncPage';
import { checkTokenHealth, checkWhatsappTokenHealth } from './tokenHealth';

export interface SyncEngineDeps {
  ctx: SyncContext;
  relay: RelayApi;
  onReauth: (target: { pageId?: string; accountId?: string }, problem: Problem) => void;
}

/**
 * Runs page syncs (one at a time per page: a second request joins the running one) and the
 * reconciliation cycle: on a timer from settings, on wake / network return, and after a relay gap.
 * Each cycle also re-checks webhook subscriptions and token health.
 */
export class SyncEngine {
  private readonly running = new Map<string, Promise<PageSyncResult>>();
  private timer: NodeJS.Timeout | null = null;
  private cycle: Promise<SyncResult> | null = null;
  private started = false;
  nextReconcileAt: number | null = null;

  constructor(private readonly deps: SyncEngineDeps) {}

  get lastReconcileAt(): number | null {
    const v = kvGet(this.deps.ctx.db, kvKeys.lastReconcileAt);
    return v ? Number(v) : null;
  }

  syncPage(pageId: string): Promise<PageSyncResult> {
    const existing = this.running.get(pageId);
    if (existing) return existing;
    const run = syncPage(this.deps.ctx, pageId, (id, problem) =>
      this.deps.onReauth({ pageId: id }, problem),
    ).finally(() => this.running.delete(pageId));
    this.running.set(pageId, run);
    return run;
  }

  /** Every enabled page, one after the other (they share Meta's rate limits anyway). */
  async syncAll(): Promise<SyncResult> {
    const pages: PageSyncResult[] = [];
    for (const page of enabledPages(this.deps.ctx.db)) pages.push(await this.syncPage(page.id));
    return { pages };
  }

  /** The reconciliation cycle; concurrent callers share one run. */
  reconcile(): Promise<SyncResult> {
    this.cycle ??= this.runCycle().finally(() => {
      this.cycle = null;
      this.schedule();
    });
    return this.cycle;
  }

  start(): void {
    this.started = true;
    this.schedule();
  }

  /** Stops the timer and waits for syncs in flight (they end at their next page boundary). */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running.values(), this.cycle]);
  }

  /** Settings changed (period) or the machine woke: re-plan the next run. */
  schedule(delayMs?: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    const { ctx } = this.deps;
    const period = reconciliationPeriodMs(ctx);
    const last = this.lastReconcileAt;
    const wait = delayMs ?? (last === null ? 0 : Math.max(0, last + period - ctx.clock.now()));
    this.nextReconcileAt = ctx.clock.now() + wait;
    this.timer = setTimeout(() => void this.reconcile(), wait);
    this.timer.unref?.();
  }

  private async runCycle(): Promise<SyncResult> {
    const { ctx } = this.deps;
    await checkTokenHealth(ctx, this.deps.relay, (accountId) =>
      this.deps.onReauth(
        { accountId },
        {
          code: 'token_invalid',
          message: 'Facebook says this login is no longer valid.',
          fix: 'Open Settings → Accounts and click Reconnect Facebook.',
        },
      ),
    ).catch((e: unknown) => ctx.log.warn('token health failed', { error: String(e) }));
    await checkWhatsappTokenHealth(ctx, this.deps.relay).catch((e: unknown) =>
      ctx.log.warn('WhatsApp token health failed', { error: String(e) }),
    );
    await recheckSubscriptions(ctx).catch((e: unknown) =>
      ctx.log.warn('subscription check failed', { error: String(e) }),
    );
    const result = await this.syncAll();
    kvSet(ctx.db, kvKeys.lastReconcileAt, String(ctx.clock.now()));
    return result;
  }
}
