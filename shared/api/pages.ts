import { z } from 'zod';
import { accountSchema, problemSchema, whatsappNumberSchema } from '../domain/connection';
import { formSchema, pageSchema } from '../domain/leads';
import { method } from './method';

const id = z.string().min(1).max(64);
/** Meta ids are numeric strings; checking early gives a clear error instead of a Graph 100. */
const metaId = z.string().regex(/^\d{1,32}$/, 'Expected a numeric id from Meta');

/** A page with its lead forms and what the UI shows about its sync. */
export const pageSummarySchema = pageSchema.extend({
  accountName: z.string().nullable(),
  /** Our app is installed on the page's webhooks (subscribed_apps) with every field we handle. */
  subscribed: z.boolean(),
  /** The relay accepted our proof and forwards this page's events. */
  bound: z.boolean(),
  pendingLeads: z.number(),
  failedLeads: z.number(),
  forms: z.array(formSchema),
});
export type PageSummary = z.infer<typeof pageSummarySchema>;

/** Result of a login attempt. Cancel / deny / timeout are normal outcomes with a message, not errors. */
export const connectResultSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('connected'), account: accountSchema, pagesFound: z.number() }),
  z.object({
    outcome: z.enum(['cancelled', 'denied', 'timeout']),
    /** Said to the owner as is, e.g. "Facebook login was cancelled. Nothing changed." */
    message: z.string(),
  }),
]);
export type ConnectResult = z.infer<typeof connectResultSchema>;

export const syncResultSchema = z.object({
  pages: z.array(
    z.object({
      pageId: z.string(),
      forms: z.number(),
      /** Leads written (new or changed) by this run. */
      leads: z.number(),
      error: problemSchema.nullable(),
    }),
  ),
});
export type SyncResult = z.infer<typeof syncResultSchema>;

export const pageMethods = {
  /** Every known page (enabled or not) with its forms; disabled pages are listed for the owner to enable. */
  'pages.list': method(z.object({}).default({}), z.object({ pages: z.array(pageSummarySchema) })),
  /** Enable: subscribe webhooks, bind at the relay, start backfill. Disable: unsubscribe + unbind. */
  'pages.setEnabled': method(z.object({ pageId: metaId, enabled: z.boolean() }), pageSummarySchema),
  /** Incremental sync of one page, or of every enabled page when pageId is left out. Resolves when done. */
  'sync.now': method(z.object({ pageId: metaId.optional() }).default({}), syncResultSchema),
  /** Opens Facebook login in the system browser and waits for the outcome (up to 10 minutes). */
  'auth.connectFacebook': method(z.object({}).default({}), connectResultSchema),
  /** Gives up a login that is still waiting (the owner closed the browser tab). */
  'auth.cancelConnect': method(z.object({}).default({}), z.object({ cancelled: z.boolean() })),
  /** Removes the account's tokens from the keychain, unsubscribes its pages; stored leads stay. */
  'auth.disconnect': method(z.object({ accountId: id }), z.object({ removedPages: z.number() })),
  'accounts.list': method(z.object({}).default({}), z.object({ accounts: z.array(accountSchema) })),
  /** Validates the token against the number (GET /{phone-number-id}) before anything is saved. */
  'whatsapp.connect': method(
    z.object({ wabaId: metaId, phoneNumberId: metaId, token: z.string().trim().min(20).max(2048) }),
    whatsappNumberSchema,
  ),
  'whatsapp.list': method(
    z.object({}).default({}),
    z.object({ numbers: z.array(whatsappNumberSchema) }),
  ),
  'whatsapp.disconnect': method(
    z.object({ phoneNumberId: metaId }),
    z.object({ removed: z.boolean() }),
  ),
};

export const pageEvents = {
  /** Pages, their forms or their status changed; carries the full list so the UI just replaces it. */
  'pages.changed': z.object({ pages: z.array(pageSummarySchema) }),
  'accounts.changed': z.object({ accounts: z.array(accountSchema) }),
  'whatsapp.changed': z.object({ numbers: z.array(whatsappNumberSchema) }),
  /** Sync progress of one page: phase, leads written so far, and an error when it stopped. */
  'sync.progress': z.object({
    pageId: z.string(),
    phase: z.enum(['forms', 'leads', 'done', 'error']),
    formId: z.string().nullable(),
    leads: z.number(),
    error: problemSchema.nullable(),
  }),
};
