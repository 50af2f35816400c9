import type { SimLead } from './model';

/**
 * Webhook `entry` builders, one per kind, in the shapes of meta-platform.md §2.5. Each returns
 * one element of the delivery's `entry[]`; WebhookSender wraps them as `{object, entry}`.
 */

/** leadgen: IDs only, no field_data; ad ids absent for organic and test leads. Times are Unix seconds. */
export function leadgenEntry(lead: SimLead, nowS: number) {
  const value: Record<string, unknown> = {
    leadgen_id: lead.id,
    page_id: lead.pageId,
    form_id: lead.formId,
  };
  if (lead.ad) {
    value.adgroup_id = lead.ad.adId;
    value.ad_id = lead.ad.adId;
  }
  value.created_time = lead.createdTime;
  return { id: lead.pageId, time: nowS, changes: [{ field: 'leadgen', value }] };
}

/** Messenger / Instagram: one event per entry, `time` and `timestamp` in ms. */
export function messagingEntry(accountId: string, timeMs: number, event: Record<string, unknown>) {
  return { id: accountId, time: timeMs, messaging: [event] };
}

/** WhatsApp: `changes[{field:"messages", value}]` under the WABA id. */
export function whatsappEntry(wabaId: string, value: Record<string, unknown>) {
  return { id: wabaId, changes: [{ value, field: 'messages' }] };
}

/** Permissions webhook (object "permissions"): a user granted or revoked a permission. */
export function permissionEntry(
  userId: string,
  nowS: number,
  permission: string,
  verb: 'granted' | 'revoked',
  targetIds?: string[],
) {
  const value: Record<string, unknown> = { verb };
  if (targetIds) value.target_ids = targetIds;
  return { id: userId, time: nowS, changes: [{ field: permission, value }] };
}
