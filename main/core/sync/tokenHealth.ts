import { keychainAccounts } from '../keychain/accounts';
import type { RelayApi } from '../relayClient/relayApi';
import {
  allAccounts,
  expiryWarning,
  getAccount,
  listWhatsappNumbers,
  setTokenHealth,
  setWhatsappProblem,
  whatsappNumbersOk,
} from '../store/accounts';
import { kvGet, kvSet } from '../store/kv';
import type { SyncContext } from './context';

/**
 * Token health through the relay's debug_token (it needs the app secret, meta-platform.md §1.5):
 * expiry and data-access expiry per login, a warning days before either, and needs-reconnect when
 * Meta says the token is no longer valid. Page tokens derive from the user token, so the user
 * token's dates are the ones that matter.
 */
export async function checkTokenHealth(
  ctx: SyncContext,
  relay: RelayApi,
  onInvalid: (accountId: string) => void,
  force = false,
): Promise<void> {
  const now = ctx.clock.now();
  for (const account of allAccounts(ctx.db)) {
    if (account.status === 'needs_reconnect') continue;
    if (
      !force &&
      account.token_checked_at &&
      now - account.token_checked_at < ctx.tuning.tokenCheckEveryMs
    )
      continue;
    const token = await ctx.tokens.get(keychainAccounts.user(account.id));
    if (!token) continue;
    try {
      const info = await relay.debugToken(token);
      setTokenHealth(ctx.db, account.id, {
        expiresAt: info.expiresAt > 0 ? info.expiresAt * 1000 : null,
        dataAccessExpiresAt: info.dataAccessExpiresAt > 0 ? info.dataAccessExpiresAt * 1000 : null,
        checkedAt: now,
      });
      if (!info.isValid) {
        onInvalid(account.id);
        continue;
      }
      warnOncePerDay(ctx, account.id, now);
    } catch (e) {
      ctx.log.warn('token health check failed', {
        accountId: account.id,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
}

function warnOncePerDay(ctx: SyncContext, accountId: string, now: number): void {
  const account = getAccount(ctx.db, accountId);
  if (!account) return;
  const warning = expiryWarning(account, now, ctx.settings().sync.tokenWarningDays);
  if (!warning) return;
  const key = `tokenWarnedOn.${accountId}`;
  const today = new Date(now).toISOString().slice(0, 10);
  if (kvGet(ctx.db, key) === today) return;
  kvSet(ctx.db, key, today);
  const n = {
    tag: `token/${accountId}`,
    title: 'Facebook access ends soon',
    body: warning,
    route: 'settings/accounts',
  };
  ctx.notifier.notify(n);
  ctx.events.emit('notification.requested', n);
}

/**
 * A WhatsApp number runs on its own system-user token, which no Facebook login check covers: a
 * revoked one would otherwise fail every send silently. Same period as the logins; an invalid
 * token marks the number needs-reconnect (paste a new token in Settings) and tells the owner once.
 */
export async function checkWhatsappTokenHealth(
  ctx: SyncContext,
  relay: RelayApi,
  force = false,
): Promise<void> {
  const now = ctx.clock.now();
  for (const id of whatsappNumbersOk(ctx.db)) {
    const key = `whatsappTokenCheckedAt.${id}`;
    if (!force && now - Number(kvGet(ctx.db, key) ?? 0) < ctx.tuning.tokenCheckEveryMs) continue;
    const token = await ctx.tokens.get(keychainAccounts.whatsapp(id));
    if (!token) continue;
    try {
      const info = await relay.debugToken(token);
      kvSet(ctx.db, key, String(now));
      if (info.isValid) continue;
      const marked = setWhatsappProblem(ctx.db, id, {
        code: 'token_invalid',
        message: 'Meta says the access token of this WhatsApp number is no longer valid.',
        fix: 'Open Settings → WhatsApp and paste a new system-user token for this number.',
      });
      if (!marked) continue;
      ctx.events.emit('whatsapp.changed', { numbers: listWhatsappNumbers(ctx.db) });
      if (!ctx.settings().notifications.enabled) continue;
      const n = {
        tag: `reconnect/whatsapp/${id}`,
        title: 'Reconnect WhatsApp',
        body: 'Messages to this WhatsApp number stopped. Paste a new token in Settings → WhatsApp.',
        route: 'settings/whatsapp',
      };
      ctx.notifier.notify(n);
      ctx.events.emit('notification.requested', n);
    } catch (e) {
      ctx.log.warn('WhatsApp token health check failed', {
        phoneNumberId: id,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
}
