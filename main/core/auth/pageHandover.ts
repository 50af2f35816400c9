import { keychainAccounts } from '../keychain/accounts';
import { allAccounts } from '../store/accounts';
import { requeueLeadsOfPages } from '../store/leadWrites';
import { setPageProblem, updatePage, type PageRecord } from '../store/pages';
import { bindPage, type PageAccessDeps } from './pageAccess';

/**
 * Disconnecting one Facebook login must not cut off a Page another connected login also
 * manages: a page row remembers only the login that listed it last, so before the token goes we
 * ask each other login for the page's token (GET /{page-id}?fields=access_token answers only for
 * a user with a role on the page). On success the page moves to that login with a fresh token
 * and binding, stays enabled, and keeps syncing. Returns whether the page was handed over.
 */
export async function handPageToOtherLogin(
  deps: PageAccessDeps,
  page: PageRecord,
  leavingAccountId: string,
): Promise<boolean> {
  const { ctx } = deps;
  const others = allAccounts(ctx.db).filter(
    (a) => a.id !== leavingAccountId && a.status !== 'needs_reconnect',
  );
  for (const other of others) {
    const userToken = await ctx.tokens.get(keychainAccounts.user(other.id));
    if (!userToken) continue;
    const answer = await ctx.graph
      .get<{ access_token?: string }>(page.id, userToken, { fields: 'access_token' })
      .catch(() => null); // no role on this page (or offline): try the next login
    if (!answer?.access_token) continue;
    await ctx.tokens.set(keychainAccounts.page(page.id), answer.access_token);
    updatePage(ctx.db, page.id, { account_id: other.id });
    if (page.status === 'needs_reconnect') {
      // The leaving login's token was the broken one: this login's works, so resume the page.
      setPageProblem(ctx.db, page.id, 'ok', null);
      requeueLeadsOfPages(ctx.db, [page.id], ctx.clock.now());
    }
    if (page.enabled) await bindPage(deps, page, answer.access_token);
    return true;
  }
  return false;
}
