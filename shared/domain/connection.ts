import { z } from 'zod';

/** Overall state the UI shows in its banner and on Home. */
export const connectionStateSchema = z.enum(['connected', 'connecting', 'offline', 'degraded']);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

export const connectionStatusSchema = z.object({
  state: connectionStateSchema,
  relayUrl: z.string().nullable(),
  connectedSince: z.number().nullable(),
  lastEventAt: z.number().nullable(),
  /** Events the relay still holds for us (from its welcome/lag reports). */
  backlog: z.number(),
  pendingLeads: z.number(),
  facebookConnected: z.boolean(),
  message: z.string().nullable(),
  /** Last / next incremental reconciliation over all enabled pages (Unix ms). */
  lastReconcileAt: z.number().nullable().optional(),
  nextReconcileAt: z.number().nullable().optional(),
  /** Pages or accounts the owner must reconnect before their leads flow again. */
  needsReconnect: z.number().optional(),
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

/** A problem shown to the owner: what happened and what to do about it. Never Meta's raw text alone. */
export const problemSchema = z.object({
  code: z.string(),
  message: z.string(),
  fix: z.string().nullable(),
});
export type Problem = z.infer<typeof problemSchema>;

export const assetStatusSchema = z.enum(['ok', 'needs_reconnect']);

/** A connected Facebook login. Its token lives in the keychain; only ids, names and state here. */
export const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: assetStatusSchema,
  connectedAt: z.number(),
  /** Unix ms; null = no expiry date known. */
  tokenExpiresAt: z.number().nullable(),
  dataAccessExpiresAt: z.number().nullable(),
  /** e.g. "Facebook access ends in 5 days: reconnect to keep leads flowing." */
  warning: z.string().nullable(),
  error: problemSchema.nullable(),
  pageCount: z.number(),
});
export type Account = z.infer<typeof accountSchema>;

/** A WhatsApp Business number connected with a system-user token (kept in the keychain). */
export const whatsappNumberSchema = z.object({
  phoneNumberId: z.string(),
  wabaId: z.string(),
  displayPhoneNumber: z.string().nullable(),
  verifiedName: z.string().nullable(),
  status: assetStatusSchema,
  connectedAt: z.number(),
  /** Whether the relay accepted our proof and forwards this number's webhooks. */
  bound: z.boolean(),
  error: problemSchema.nullable(),
});
export type WhatsappNumber = z.infer<typeof whatsappNumberSchema>;
