import type { GraphClient } from '../graph/client';
import { keychainAccounts } from '../keychain/accounts';
import type { TokenStore } from '../ports';
import type { Db } from '../store/db';
import { upsertAccount } from '../store/accounts';
import { pagesOfAccount, setPageProblem, upsertPageFromAccount } from '../store/pages';
import { requeueLeadsOfPages } from '../store/leadWrites';

interface GraphAccountPage {
  id: string;
  name: string;
  access_token?: string;
  tasks?: string[];
  instagram_business_account?: { id: string };
}

export interface AccountSetupResult {
  accountId: string;
  accountName: string;
  pagesFound: number;
  /** Enabled pages that were waiting for this reconnect: resubscribe, rebind and sync them. */
  healedPageIds: string[];
}

/**
 * After a login: who the user is, every Page they manage (me/accounts, paged) with its page token.
 * Tokens go to the keychain only; the store gets ids, names and state. New pages start disabled;
 * pages of a reconnect keep their choice, and the ones waiting for it are healed: their status is
 * cleared and their parked/failed leads are queued again so nothing stays lost.
 */
export async function setUpAccount(
  deps: { db: Db; graph: GraphClient; tokens: TokenStore; now: () => number },
  userToken: string,
  expiresInSec: number,
): Promise<AccountSetupResult> {
  const { db, graph, tokens } = deps;
  const me = await graph.get<{ id: string; name?: string }>('me', userToken, { fields: 'id,name' });
  const pages: GraphAccountPage[] = [];
  for await (const batch of graph.pages<GraphAccountPage>('me/accounts', userToken, {
    fields: 'id,name,access_token,tasks,instagram_business_account{id}',
    limit: 100,
  })) {
    pages.push(...batch);
  }
  await tokens.set(keychainAccounts.user(me.id), userToken);
  for (const p of pages)
    if (p.access_token) await tokens.set(keychainAccounts.page(p.id), p.access_token);

  const now = deps.now();
  const before = new Map(pagesOfAccount(db, me.id).map((p) => [p.id, p]));
  db.transaction(() => {
    upsertAccount(db, {
      id: me.id,
      name: me.name ?? `Facebook user ${me.id}`,
      now,
      tokenExpiresAt: expiresInSec > 0 ? now + expiresInSec * 1000 : null,
    });
    for (const p of pages) {
      upsertPageFromAccount(db, {
        id: p.id,
        name: p.name,
        accountId: me.id,
        instagramId: p.instagram_business_account?.id ?? null,
      });
    }
  })();
  const healed = pages
    .map((p) => before.get(p.id) ?? null)
    .filter((p) => p !== null && p.enabled === 1)
    .map((p) => p!.id);
  // Pages another login brought in earlier and that were broken are healed too if we now hold a token.
  for (const p of pages) {
    const prev = before.get(p.id);
    if (!prev && p.access_token) {
      const row = db.prepare('SELECT enabled, status FROM pages WHERE id = ?').get(p.id) as {
        enabled: number;
        status: string;
      };
      if (row.enabled === 1) healed.push(p.id);
    }
  }
  db.transaction(() => {
    for (const id of healed) setPageProblem(db, id, 'ok', null);
    requeueLeadsOfPages(db, healed, now);
  })();
  return {
    accountId: me.id,
    accountName: me.name ?? me.id,
    pagesFound: pages.length,
    healedPageIds: healed,
  };
}
