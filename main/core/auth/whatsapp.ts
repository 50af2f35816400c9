import { ApiError, type WhatsappNumber } from '../../../shared/index';
import { GraphError } from '../graph/errors';
import { keychainAccounts } from '../keychain/accounts';
import type { RelayApi } from '../relayClient/relayApi';
import { deleteWhatsappNumber, listWhatsappNumbers, upsertWhatsappNumber } from '../store/accounts';
import type { SyncContext } from '../sync/context';

interface GraphPhoneNumber {
  id: string;
  display_phone_number?: string;
  verified_name?: string;
}

/**
 * Connects a WhatsApp Business number with a system-user token the owner pasted. Nothing is saved
 * until the token has proved it can read the number (GET /{phone-number-id}) and the number belongs
 * to the given WhatsApp Business account. Then: token → keychain, ids → store, binding → relay.
 */
export async function connectWhatsapp(
  ctx: SyncContext,
  relay: RelayApi,
  input: { wabaId: string; phoneNumberId: string; token: string },
): Promise<WhatsappNumber> {
  const { graph } = ctx;
  let phone: GraphPhoneNumber;
  try {
    phone = await graph.get<GraphPhoneNumber>(input.phoneNumberId, input.token, {
      fields: 'id,display_phone_number,verified_name',
    });
    const numbers = await graph.get<{ data?: GraphPhoneNumber[] }>(
      `${input.wabaId}/phone_numbers`,
      input.token,
      { fields: 'id' },
    );
    if (!(numbers.data ?? []).some((n) => n.id === input.phoneNumberId)) {
      throw new ApiError({
        code: 'invalid_input',
        message:
          'This phone number id does not belong to that WhatsApp Business account id. Check both ids in WhatsApp Manager → Phone numbers.',
      });
    }
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw explain(e);
  }
  if (phone.id !== input.phoneNumberId) {
    throw new ApiError({
      code: 'invalid_input',
      message: 'Meta answered for a different phone number; check the phone number id.',
    });
  }
  // Our app must be subscribed to the account's webhooks, or no message ever arrives (§5 onboarding).
  await graph
    .post(`${input.wabaId}/subscribed_apps`, input.token)
    .catch((e: unknown) =>
      ctx.log.warn('whatsapp subscribed_apps failed', {
        wabaId: input.wabaId,
        error: e instanceof Error ? e.message : String(e),
      }),
    );
  await ctx.tokens.set(keychainAccounts.whatsapp(input.phoneNumberId), input.token);
  let boundAt: number | null = null;
  if (relay.configured()) {
    try {
      await relay.bind('whatsapp', input.phoneNumberId, input.token);
      boundAt = ctx.clock.now();
    } catch (e) {
      ctx.log.warn('whatsapp relay binding failed; will retry on reconnect', {
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  upsertWhatsappNumber(ctx.db, {
    phoneNumberId: input.phoneNumberId,
    wabaId: input.wabaId,
    display: phone.display_phone_number ?? null,
    verifiedName: phone.verified_name ?? null,
    now: ctx.clock.now(),
    boundAt,
  });
  return listWhatsappNumbers(ctx.db).find((n) => n.phoneNumberId === input.phoneNumberId)!;
}

export async function disconnectWhatsapp(
  ctx: SyncContext,
  relay: RelayApi,
  phoneNumberId: string,
): Promise<boolean> {
  if (relay.configured()) await relay.unbind('whatsapp', phoneNumberId).catch(() => undefined);
  await ctx.tokens.delete(keychainAccounts.whatsapp(phoneNumberId));
  return deleteWhatsappNumber(ctx.db, phoneNumberId);
}

/** Re-binds numbers the relay does not forward yet (after a re-registration or an outage). */
export async function ensureWhatsappBindings(
  ctx: SyncContext,
  relay: RelayApi,
  all = false,
): Promise<void> {
  if (!relay.configured()) return;
  for (const n of listWhatsappNumbers(ctx.db)) {
    if (n.bound && !all) continue;
    const token = await ctx.tokens.get(keychainAccounts.whatsapp(n.phoneNumberId));
    if (!token) continue;
    try {
      await relay.bind('whatsapp', n.phoneNumberId, token);
      ctx.db
        .prepare('UPDATE whatsapp_numbers SET bound_at = ? WHERE phone_number_id = ?')
        .run(ctx.clock.now(), n.phoneNumberId);
    } catch (e) {
      ctx.log.warn('whatsapp rebinding failed', {
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
}

function explain(e: unknown): ApiError {
  if (e instanceof GraphError) {
    if (e.code === 190)
      return new ApiError({
        code: 'invalid_input',
        message:
          'Meta does not accept this token (expired or revoked). Create a new system-user token in Business Settings → System users.',
      });
    if (e.action === 'reauth')
      return new ApiError({
        code: 'invalid_input',
        message:
          'The token lacks WhatsApp permissions. Give the system user whatsapp_business_messaging and whatsapp_business_management and assign it the WhatsApp account.',
      });
    if (e.code === 100)
      return new ApiError({
        code: 'invalid_input',
        message:
          'Meta does not know this phone number id, or the token cannot see it. Check the ids in WhatsApp Manager.',
      });
    if (e.action === 'rate_limit')
      return new ApiError({
        code: 'rate_limited',
        message: 'Meta asked us to slow down; try again in a minute.',
      });
  }
  return new ApiError({
    code: 'offline',
    message: 'Meta could not be reached to check the token; nothing was saved. Try again.',
  });
}
