import type { Problem } from '../../../shared/index';
import { backoffDelay, type BackoffOptions } from '../graph/backoff';
import { GraphError } from '../graph/errors';
import { isLeadAccessError, problemFromGraphError } from '../graph/problems';
import { keychainAccounts } from '../keychain/accounts';
import {
  dueLeads,
  failLead,
  nextDueAt,
  prepareLeadUpsert,
  scheduleRetry,
  type DueLead,
} from '../store/leadWrites';
import { getLeadRow } from '../store/leads';
import { getForm, getPage, questionsOf } from '../store/pages';
import type { SyncContext } from '../sync/context';
import { ensureForm } from './forms';
import { leadFields, normaliseLead, type GraphLead } from './normalise';
import { notifyNewLead } from './notifyLead';

/** The sync context's shared parts (one Graph client, token cache, rate gate) plus its own. */
export type LeadFetchWorkerDeps = Pick<
  SyncContext,
  'db' | 'graph' | 'tokens' | 'gate' | 'events' | 'notifier' | 'settings' | 'clock' | 'log'
> & {
  backoff: BackoffOptions;
  /** A token broke while fetching a page's lead: mark the page (and account) needs-reconnect. */
  onReauth: (pageId: string, problem: Problem) => void;
  concurrency?: number;
};

/**
 * Completes pending leads: GET /{lead-id} with the page token, normalise, upsert, tell the UI and
 * the owner. Pending rows are the durable queue (they survive restarts); each failure reschedules
 * its row with jittered backoff, decided by GraphError.action, never by message text.
 */
export class LeadFetchWorker {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly upsert;
  /** Leads being fetched right now; a free slot immediately takes the next due lead. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly deps: LeadFetchWorkerDeps) {
    this.upsert = prepareLeadUpsert(deps.db);
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Resolves once the fetches in flight have finished, so the database can close under no one. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /** New pending rows were committed (or a page reconnected): look now. */
  wake(): void {
    this.pump();
  }

  /**
   * Fills free slots with due leads, oldest first. A pool rather than batches: a lead that arrives
   * while others are being fetched starts as soon as any one of them finishes.
   */
  private pump(): void {
    if (this.stopped) return;
    const limit = this.deps.concurrency ?? 4;
    const free = limit - this.inFlight.size;
    if (free > 0) {
      const due = dueLeads(this.deps.db, this.deps.clock.now(), free + this.inFlight.size).filter(
        (l) => !this.inFlight.has(l.id),
      );
      for (const lead of due.slice(0, free)) {
        const run = this.fetchOne(lead)
          .catch((e: unknown) =>
            this.deps.log.error('lead fetch crashed', {
              error: e instanceof Error ? e.message : String(e),
            }),
          )
          .finally(() => {
            this.inFlight.delete(lead.id);
            this.pump();
          });
        this.inFlight.set(lead.id, run);
      }
    }
    if (this.inFlight.size === 0) this.scheduleNextDue();
  }

  /** Nothing to do now: sleep until the earliest retry is due. */
  private scheduleNextDue(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = nextDueAt(this.deps.db);
    if (next === null || this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(0, next - this.deps.clock.now()),
    );
  }

  private async fetchOne(lead: DueLead): Promise<void> {
    const { db, clock } = this.deps;
    const page = getPage(db, lead.page_id);
    if (page?.status === 'needs_reconnect') {
      return this.fail(
        lead.id,
        `${page.error_message ?? 'Facebook access to this Page ended.'} ${page.error_fix ?? ''}`.trim(),
      );
    }
    const token = await this.deps.tokens.get(keychainAccounts.page(lead.page_id));
    if (!token) {
      return this.fail(
        lead.id,
        'Lead Inbox has no access to this Page. Connect the Facebook account that manages it and enable the Page.',
      );
    }
    try {
      await this.deps.gate.wait(this.abort.signal);
      if (this.stopped) return;
      const raw = await this.deps.graph.get<GraphLead>(lead.id, token, { fields: leadFields });
      if (this.stopped) return;
      const formId = raw.form_id ?? lead.form_id;
      if (formId && !getForm(db, formId)) await ensureForm(this.deps, formId, lead.page_id, token);
      const form = formId ? getForm(db, formId) : null;
      const normalised = normaliseLead(
        { ...raw, form_id: formId ?? undefined },
        questionsOf(form),
        form?.locale,
      );
      db.transaction(() => this.upsert(normalised, lead.page_id, clock.now()))();
      const row = getLeadRow(db, lead.id);
      if (row) {
        this.deps.events.emit('lead.updated', { lead: row });
        notifyNewLead(row, { ...this.deps, settings: this.deps.settings, now: () => clock.now() });
      }
    } catch (e) {
      this.onError(lead, e);
    }
  }

  private onError(lead: DueLead, e: unknown): void {
    if (this.stopped) return;
    const now = this.deps.clock.now();
    const problem = problemFromGraphError(e, 'this Page');
    if (!(e instanceof GraphError)) {
      this.deps.log.error('lead fetch failed unexpectedly', {
        leadId: lead.id,
        error: e instanceof Error ? e.message : String(e),
      });
      if (lead.fetch_attempts + 1 >= 8) return this.fail(lead.id, problem.message);
      return this.retryLater(lead, problem.message);
    }
    this.deps.log.warn('lead fetch failed', {
      leadId: lead.id,
      code: e.code,
      subcode: e.subcode,
      action: e.action,
      status: e.status,
    });
    if (e.action === 'rate_limit') {
      const wait = this.deps.gate.throttle(e.retryAfterMs);
      return scheduleRetry(this.deps.db, lead.id, lead.fetch_attempts, now + wait, problem.message);
    }
    if (e.action === 'retry') return this.retryLater(lead, problem.message);
    if (e.action === 'reauth' && !isLeadAccessError(e)) this.deps.onReauth(lead.page_id, problem);
    this.fail(lead.id, problem.fix ? `${problem.message} ${problem.fix}` : problem.message);
  }

  /** Transient failure: try again after a jittered backoff that grows with each attempt. */
  private retryLater(lead: DueLead, reason: string): void {
    const attempts = lead.fetch_attempts + 1;
    const at = this.deps.clock.now() + backoffDelay(attempts, this.deps.backoff);
    scheduleRetry(this.deps.db, lead.id, attempts, at, reason);
  }

  private fail(id: string, reason: string): void {
    failLead(this.deps.db, id, reason, this.deps.clock.now());
    const row = getLeadRow(this.deps.db, id);
    if (row) this.deps.events.emit('lead.updated', { lead: row });
  }
}
