import type { Problem, Settings } from '../../../shared/index';
import type { EventBus } from '../events';
import type { Clock, Notifier } from '../ports';
import type { Db } from '../store/db';
import { allAccounts, getAccount, setAccountProblem, toAccount } from '../store/accounts';
import { getPage, listPageSummaries, pagesOfAccount, setPageProblem } from '../store/pages';

export interface ReconnectDeps {
  db: Db;
  events: EventBus;
  notifier: Notifier;
  clock: Clock;
  settings: () => Settings;
}

/** Token errors that end the whole login, not just one Page's access (meta-platform.md §6). */
function endsTheLogin(problem: Problem): boolean {
  return (
    problem.code === 'token_102' ||
    problem.code === 'token_190' ||
    /^token_(458|459|460|463|464|467)$/.test(problem.code)
  );
}

/**
 * Marks a page (and, when the login itself broke, its account and all its pages) as needing a
 * reconnect. Stored leads stay; workers stop using the token; the owner gets one notification per
 * break with the fix. Reconnecting (auth/accountSetup.ts) clears it and resumes everything.
 */
export function markNeedsReconnect(
  deps: ReconnectDeps,
  target: { pageId?: string; accountId?: string },
  problem: Problem,
): void {
  const { db } = deps;
  const page = target.pageId ? getPage(db, target.pageId) : null;
  const accountId = target.accountId ?? page?.account_id ?? null;
  const account = accountId ? getAccount(db, accountId) : null;
  const wholeAccount = !!account && (target.accountId !== undefined || endsTheLogin(problem));
  const pages = wholeAccount && account ? pagesOfAccount(db, account.id) : page ? [page] : [];
  const newlyBroken = pages.filter((p) => p.status !== 'needs_reconnect');
  db.transaction(() => {
    for (const p of pages) setPageProblem(db, p.id, 'needs_reconnect', problem);
    if (wholeAccount && account) setAccountProblem(db, account.id, problem);
  })();
  if (newlyBroken.length > 0 || (wholeAccount && account?.status === 'ok')) {
    const names =
      (newlyBroken.length ? newlyBroken : pages).map((p) => p.name).join(', ') ||
      account?.name ||
      'Facebook';
    const n = {
      tag: `reconnect/${accountId ?? target.pageId}`,
      title: 'Reconnect Facebook',
      body: `Leads stopped for ${names}. ${problem.fix ?? ''}`.trim(),
      route: 'settings/accounts',
    };
    if (deps.settings().notifications.enabled) {
      deps.notifier.notify(n);
      deps.events.emit('notification.requested', n);
    }
  }
  emitAccountsAndPages(deps);
}

export function emitAccountsAndPages(deps: ReconnectDeps): void {
  const now = deps.clock.now();
  const warn = deps.settings().sync.tokenWarningDays;
  deps.events.emit('pages.changed', { pages: listPageSummaries(deps.db) });
  deps.events.emit('accounts.changed', {
    accounts: allAccounts(deps.db).map((a) => toAccount(deps.db, a, now, warn)),
  });
}
