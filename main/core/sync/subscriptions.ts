import { keychainAccounts } from '../keychain/accounts';
import { enabledPages, updatePage } from '../store/pages';
import type { SyncContext } from './context';
import { withGraphRetry } from './graphRetry';

/**
 * Every webhook field we handle on a Page: meta-platform.md §2.1's list, plus messaging_referrals,
 * Meta's field for an ad click (m.me / Click-to-Messenger) inside a thread that already exists; a
 * new thread carries its referral in the first message or postback instead.
 */
export const pageSubscribedFields = [
  'leadgen',
  'messages',
  'message_echoes',
  'message_deliveries',
  'message_reads',
  'messaging_postbacks',
  'message_reactions',
  'messaging_referrals',
];

export async function subscribePage(
  ctx: SyncContext,
  pageId: string,
  token: string,
): Promise<void> {
  await withGraphRetry(
    () =>
      ctx.graph.post(`${pageId}/subscribed_apps`, token, undefined, {
        subscribed_fields: pageSubscribedFields.join(','),
      }),
    ctx.retry,
  );
}

interface SubscribedApp {
  id?: string;
  name?: string;
  subscribed_fields?: string[];
}

/**
 * Meta drops a Page's subscription after hours of failed deliveries (meta-platform.md §2.4), and a
 * Page admin can remove it by hand: check each enabled page and subscribe again when a field we
 * handle is missing. Returns the pages that had to be re-subscribed.
 */
export async function recheckSubscriptions(ctx: SyncContext): Promise<string[]> {
  const fixed: string[] = [];
  for (const page of enabledPages(ctx.db)) {
    if (page.status === 'needs_reconnect') continue;
    const token = await ctx.tokens.get(keychainAccounts.page(page.id));
    if (!token) continue;
    try {
      const res = await withGraphRetry(
        () => ctx.graph.get<{ data?: SubscribedApp[] }>(`${page.id}/subscribed_apps`, token),
        ctx.retry,
      );
      const ours = (res.data ?? []).find((a) => !ctx.appId || a.id === ctx.appId);
      const missing = pageSubscribedFields.filter((f) => !ours?.subscribed_fields?.includes(f));
      const now = ctx.clock.now();
      if (missing.length > 0) {
        ctx.log.warn('page subscription incomplete; subscribing again', {
          pageId: page.id,
          missing,
        });
        await subscribePage(ctx, page.id, token);
        fixed.push(page.id);
      }
      updatePage(ctx.db, page.id, { subscription_checked_at: now, subscribed_at: now });
    } catch (e) {
      ctx.log.warn('subscription check failed', {
        pageId: page.id,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return fixed;
}
