import { z } from 'zod';
import {
  capiEventSchema,
  conversionSettingsSchema,
  conversionsHealthSchema,
  speedToLeadStatsSchema,
} from '../domain/conversions';
import { method } from './method';

const id = z.string().min(1).max(64);

export const conversionMethods = {
  /** Settings plus what the sender is doing right now. */
  'conversions.getSettings': method(
    z.object({}).default({}),
    z.object({ settings: conversionSettingsSchema, health: conversionsHealthSchema }),
  ),
  /** Partial update; returns the whole stored settings. Never touches events already queued. */
  'conversions.updateSettings': method(
    conversionSettingsSchema.partial(),
    z.object({ settings: conversionSettingsSchema, health: conversionsHealthSchema }),
  ),
  /** A lead's conversion log: every stage queued for it, newest first. */
  'conversions.forLead': method(z.object({ leadId: id }), z.object({ events: z.array(capiEventSchema) })),
  /** Puts failed events (of one lead, or all) back in the queue and wakes the sender. */
  'conversions.retry': method(
    z.object({ leadId: id.optional() }).default({}),
    z.object({ requeued: z.number() }),
  ),
  /** Whether a system-user token for the dataset is in the keychain (the token itself never leaves main). */
  'conversions.systemToken': method(z.object({}).default({}), z.object({ present: z.boolean() })),
  /**
   * Stores (or with null removes) a system-user token for the connected dataset in the OS keychain.
   * When present it is used instead of the page tokens (Meta's "Conversions API" business setup).
   */
  'conversions.setSystemToken': method(
    z.object({ token: z.string().trim().min(20).max(1000).regex(/^\S+$/, 'A token has no spaces').nullable() }),
    z.object({ present: z.boolean() }),
  ),
  /** A call / email / WhatsApp quick action was used: counts as contact for speed to lead. */
  'leads.contacted': method(
    z.object({ id, via: z.enum(['call', 'email', 'whatsapp']) }),
    z.object({ firstContactAt: z.number().nullable(), first: z.boolean() }),
  ),
  /** Speed to lead for Home: medians overall, per form and per week, leads created in [from, to). */
  'speedToLead.stats': method(
    z
      .object({ from: z.number().int().min(0).optional(), to: z.number().int().min(0).optional() })
      .default({}),
    speedToLeadStatsSchema,
  ),
};

export const conversionEvents = {
  /** A lead's conversion log changed (queued, sent, failed); leadId null = many leads. */
  'conversions.updated': z.object({ leadId: z.string().nullable() }),
  /** Sender health changed (e.g. the token needs reconnecting). */
  'conversions.health': conversionsHealthSchema,
};
