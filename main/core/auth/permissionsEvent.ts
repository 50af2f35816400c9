import { z } from 'zod';
import type { EntryHandler } from '../ingest/registry';
import { getAccount } from '../store/accounts';
import { markNeedsReconnect, type ReconnectDeps } from './needsReconnect';

const permissionsEntry = z.object({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  uid: z.union([z.string(), z.number()]).transform(String).optional(),
  user_id: z.union([z.string(), z.number()]).transform(String).optional(),
  changes: z.array(z.object({ field: z.string(), value: z.unknown() })).optional(),
});

/**
 * A `permissions` / deauthorisation event: the user removed the app or revoked a permission. The
 * relay routes it by the app-scoped user id (assetId). We mark that login needs-reconnect right
 * away instead of waiting for the next Graph call to fail with 190.
 */
export function permissionsHandler(deps: ReconnectDeps): EntryHandler {
  return (entry, ctx) => {
    const parsed = permissionsEntry.safeParse(entry);
    // Meta also reports granted permissions; only a revocation breaks anything.
    const changes = parsed.data?.changes ?? [];
    const revoked = changes.some((c) => (c.value as { verb?: unknown } | null)?.verb === 'revoked');
    if (changes.length > 0 && !revoked) return;
    const ids = [ctx.frame.assetId, parsed.data?.id, parsed.data?.uid, parsed.data?.user_id].filter(
      (x): x is string => !!x,
    );
    const accountId = ids.find((id) => getAccount(ctx.db, id) !== null);
    if (!accountId) return;
    ctx.afterCommit(() =>
      markNeedsReconnect(
        deps,
        { accountId },
        {
          code: 'deauthorized',
          message: 'Facebook says Lead Inbox was removed or lost permissions for this login.',
          fix: 'Open Settings → Accounts and click Reconnect Facebook, allowing every permission.',
        },
      ),
    );
  };
}
