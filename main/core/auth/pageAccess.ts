import { ApiError, type PageSummary } from '../../../shared/index';
import { GraphError } from '../graph/errors';
import { problemFromGraphError } from '../graph/problems';
import { keychainAccounts } from '../keychain/accounts';
import type { RelayApi } from '../relayClient/relayApi';
import { enabledPages, getPage, getPageSummary, updatePage, type PageRecord } from '../store/pages';
import type { SyncContext } from '../sync/context';
import { subscribePage } from '../sync/subscriptions';
import type { Problem } from '../../../shared/index';

export interface PageAccessDeps {
  ctx: SyncContext;
  relay: RelayApi;
  onReauth: (target: { pageId?: string; accountId?: string }, problem: Problem) => void;
  /** Starts the page's backfill in the background. */
  startSync: (pageId: string) => void;
  emitChanged: () => void;
}

/**
 * Enabling a page: subscribe our app to its webhooks (every field we handle), bind it at the relay
 * with the page token as proof, then backfill. Disabling undoes both; stored leads stay.
 */
export async function enablePage(deps: PageAccessDeps, pageId: string): Promise<PageSummary> {
  const { ctx } = deps;
  const page = requireConnectedPage(ctx, pageId);
  const token = await ctx.tokens.get(keychainAccounts.page(pageId));
  if (!token) {
    throw new ApiError({
      code: 'reauth_required',
      message: `Lead Inbox has no access to ${page.name}. Reconnect Facebook, then enable the Page.`,
    });
  }
  try {
    await subscribePage(ctx, pageId, token);
  } catch (e) {
    const problem = problemFromGraphError(e, page.name);
    if (e instanceof GraphError && e.action === 'reauth') {
      deps.onReauth({ pageId }, problem);
      throw new ApiError({
        code: 'reauth_required',
        message: `${problem.message} ${problem.fix ?? ''}`.trim(),
      });
    }
    throw new ApiError({
      code: e instanceof GraphError && e.action === 'rate_limit' ? 'rate_limited' : 'offline',
      message: problem.message,
    });
  }
  const now = ctx.clock.now();
  updatePage(ctx.db, pageId, { enabled: 1, subscribed_at: now, subscription_checked_at: now });
  await bindPage(deps, page, token);
  deps.emitChanged();
  deps.startSync(pageId);
  return getPageSummary(ctx.db, pageId)!;
}

export async function disablePage(deps: PageAccessDeps, pageId: string): Promise<PageSummary> {
  const { ctx } = deps;
  const page = requireConnectedPage(ctx, pageId);
  const token = await ctx.tokens.get(keychainAccounts.page(pageId));
  if (token) {
    await ctx.graph
      .delete(`${pageId}/subscribed_apps`, token)
      .catch((e: unknown) =>
        ctx.log.warn('unsubscribe failed; disabling locally anyway', {
          pageId,
          error: e instanceof Error ? e.message : String(e),
        }),
      );
  }
  await unbindPage(deps, page);
  updatePage(ctx.db, pageId, { enabled: 0, subscribed_at: null, bound_at: null });
  deps.emitChanged();
  return getPageSummary(ctx.db, pageId)!;
}

/**
 * Binds at the relay; failure is not fatal (catch-up sync still works) and is retried by
 * ensureBindings whenever the relay stream (re)connects.
 */
export async function bindPage(
  deps: PageAccessDeps,
  page: PageRecord,
  token: string,
): Promise<boolean> {
  const { ctx } = deps;
  if (!deps.relay.configured()) return false;
  try {
    await deps.relay.bind('page', page.id, token);
    if (page.instagram_id) {
      await deps.relay
        .bind('instagram', page.instagram_id, token)
        .catch((e: unknown) =>
          ctx.log.warn('instagram binding failed', {
            pageId: page.id,
            error: e instanceof Error ? e.message : String(e),
          }),
        );
    }
    updatePage(ctx.db, page.id, { bound_at: ctx.clock.now() });
    return true;
  } catch (e) {
    ctx.log.warn('relay binding failed; will retry on reconnect', {
      pageId: page.id,
      error: e instanceof Error ? e.message : String(e),
    });
    updatePage(ctx.db, page.id, { bound_at: null });
    return false;
  }
}

export async function unbindPage(deps: PageAccessDeps, page: PageRecord): Promise<void> {
  if (!deps.relay.configured()) return;
  await deps.relay
    .unbind('page', page.id)
    .catch((e: unknown) =>
      deps.ctx.log.warn('relay unbind failed', {
        pageId: page.id,
        error: e instanceof Error ? e.message : String(e),
      }),
    );
  if (page.instagram_id)
    await deps.relay.unbind('instagram', page.instagram_id).catch(() => undefined);
}

/** Binds every enabled page the relay does not forward yet (after a re-registration or an outage). */
export async function ensureBindings(deps: PageAccessDeps, all = false): Promise<void> {
  let changed = false;
  for (const page of enabledPages(deps.ctx.db)) {
    if ((!all && page.bound_at !== null) || page.status === 'needs_reconnect') continue;
    const token = await deps.ctx.tokens.get(keychainAccounts.page(page.id));
    if (token && (await bindPage(deps, page, token))) changed = true;
  }
  if (changed) deps.emitChanged();
}

function requireConnectedPage(ctx: SyncContext, pageId: string): PageRecord {
  const page = getPage(ctx.db, pageId);
  if (!page || page.account_id === null) {
    throw new ApiError({
      code: 'not_found',
      message: `No connected Page with id ${pageId}. Connect the Facebook account that manages it.`,
    });
  }
  return page;
}
