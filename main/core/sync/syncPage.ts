import type { Problem, SyncResult } from '../../../shared/index';
import { GraphError } from '../graph/errors';
import { isLeadAccessError, problemFromGraphError } from '../graph/problems';
import { keychainAccounts } from '../keychain/accounts';
import { formFields, saveGraphForm, type GraphForm } from '../leads/forms';
import { notifyNewLead } from '../leads/notifyLead';
import type { Paged } from '../graph/client';
import {
  formsOfPage,
  getPage,
  listPageSummaries,
  setPageProblem,
  updatePage,
} from '../store/pages';
import { backfillForm } from './backfillForm';
import { reconciliationPeriodMs, type SyncContext } from './context';
import { withGraphRetry } from './graphRetry';

export type PageSyncResult = SyncResult['pages'][number];

/**
 * One page's catch-up: its lead forms (status, questions, counts), then each form's leads since
 * the form's cursor. Used by the first backfill, "Sync now", the reconciliation timer and wake.
 */
export async function syncPage(
  ctx: SyncContext,
  pageId: string,
  onReauth: (pageId: string, problem: Problem) => void,
): Promise<PageSyncResult> {
  const { db, events, clock } = ctx;
  const page = getPage(db, pageId);
  if (!page || !page.enabled) {
    return {
      pageId,
      forms: 0,
      leads: 0,
      error: {
        code: 'not_enabled',
        message: 'This Page is not enabled in Lead Inbox.',
        fix: 'Enable it under Settings → Pages.',
      },
    };
  }
  if (page.status === 'needs_reconnect') {
    return {
      pageId,
      forms: 0,
      leads: 0,
      error: {
        code: page.error_code ?? 'needs_reconnect',
        message: page.error_message ?? 'Reconnect needed.',
        fix: page.error_fix,
      },
    };
  }
  const token = await ctx.tokens.get(keychainAccounts.page(pageId));
  if (!token) {
    const problem = {
      code: 'no_token',
      message: 'Lead Inbox has no access token for this Page.',
      fix: 'Open Settings → Accounts and click Reconnect Facebook.',
    };
    onReauth(pageId, problem);
    return { pageId, forms: 0, leads: 0, error: problem };
  }
  setPageProblem(db, pageId, 'syncing', null);
  events.emit('pages.changed', { pages: listPageSummaries(db) });
  events.emit('sync.progress', { pageId, phase: 'forms', formId: null, leads: 0, error: null });
  let leads = 0;
  let formCount = 0;
  let firstError: Problem | null = null;
  try {
    let next: string | undefined = ctx.graph.url(`${pageId}/leadgen_forms`, {
      fields: formFields,
      limit: 100,
    });
    while (next) {
      const url: string = next;
      const res = await withGraphRetry(
        () => ctx.graph.request<Paged<GraphForm>>({ path: url, token }),
        ctx.retry,
      );
      db.transaction(() => (res.data ?? []).forEach((f) => saveGraphForm(db, f, pageId)))();
      next = res.paging?.next;
    }
    for (const form of formsOfPage(db, pageId)) {
      if (form.status === 'DELETED') continue;
      formCount++;
      try {
        const base = leads;
        const r = await backfillForm(ctx, form, token, (n) =>
          events.emit('sync.progress', {
            pageId,
            phase: 'leads',
            formId: form.id,
            leads: base + n,
            error: null,
          }),
        );
        leads += r.written;
        for (const lead of r.fresh) events.emit('lead.received', { lead });
        for (const lead of r.completed) events.emit('lead.updated', { lead });
        for (const lead of [...r.fresh, ...r.completed])
          notifyNewLead(lead, { ...ctx, now: () => clock.now() });
      } catch (e) {
        // Lead access is per form/business: report it, carry on with the other forms.
        if (!(e instanceof GraphError) || !isLeadAccessError(e)) throw e;
        firstError ??= problemFromGraphError(e, page.name);
      }
    }
    const now = clock.now();
    updatePage(db, pageId, {
      last_sync_at: now,
      next_sync_at: now + reconciliationPeriodMs(ctx),
    });
    setPageProblem(db, pageId, firstError ? 'error' : 'ok', firstError);
  } catch (e) {
    const problem = problemFromGraphError(e, page.name);
    ctx.log.warn('page sync failed', {
      pageId,
      code: e instanceof GraphError ? e.code : null,
      subcode: e instanceof GraphError ? e.subcode : null,
      error: e instanceof Error ? e.message : String(e),
    });
    if (e instanceof GraphError && e.action === 'reauth' && !isLeadAccessError(e))
      onReauth(pageId, problem);
    else setPageProblem(db, pageId, 'error', problem);
    firstError = problem;
  }
  events.emit('sync.progress', {
    pageId,
    phase: firstError ? 'error' : 'done',
    formId: null,
    leads,
    error: firstError,
  });
  events.emit('pages.changed', { pages: listPageSummaries(db) });
  return { pageId, forms: formCount, leads, error: firstError };
}
