import { z } from 'zod';

/** Pipeline stages are an editable list; these are the defaults a new install starts with. */
export const defaultStages = ['new', 'contacted', 'qualified', 'won', 'lost'] as const;

export const platformSchema = z.enum(['facebook', 'instagram']);
export type Platform = z.infer<typeof platformSchema>;

/** One answer of a lead form, kept with its question label so custom questions survive. */
export const answerSchema = z.object({
  key: z.string(),
  label: z.string(),
  values: z.array(z.string()),
});
export type Answer = z.infer<typeof answerSchema>;

/**
 * pending: we know the lead id (webhook) but have not fetched its fields yet.
 * complete: fields fetched and normalised. failed: fetching stopped (token broken, access denied).
 */
export const leadStateSchema = z.enum(['pending', 'complete', 'failed']);
export type LeadState = z.infer<typeof leadStateSchema>;

/** A row of the leads table: what list views show. Times are Unix milliseconds. */
export const leadRowSchema = z.object({
  id: z.string(),
  pageId: z.string(),
  pageName: z.string().nullable(),
  formId: z.string().nullable(),
  formName: z.string().nullable(),
  createdTime: z.number(),
  receivedAt: z.number(),
  state: leadStateSchema,
  platform: platformSchema.nullable(),
  isOrganic: z.boolean().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  city: z.string().nullable(),
  status: z.string(),
  tags: z.array(z.string()),
  firstContactAt: z.number().nullable(),
  followUpAt: z.number().nullable(),
});
export type LeadRow = z.infer<typeof leadRowSchema>;

export const leadDetailSchema = leadRowSchema.extend({
  answers: z.array(answerSchema),
  adId: z.string().nullable(),
  adName: z.string().nullable(),
  adsetId: z.string().nullable(),
  adsetName: z.string().nullable(),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  notes: z.string(),
  fetchError: z.string().nullable(),
});
export type LeadDetail = z.infer<typeof leadDetailSchema>;

export const pageStatusSchema = z.enum(['ok', 'syncing', 'needs_reconnect', 'error']);

export const pageSchema = z.object({
  id: z.string(),
  name: z.string(),
  accountId: z.string().nullable(),
  enabled: z.boolean(),
  instagramId: z.string().nullable(),
  status: pageStatusSchema,
  /** Shown to the owner with the fix ("Reconnect Facebook"), never Meta's raw text alone. */
  error: z.object({ code: z.string(), message: z.string(), fix: z.string().nullable() }).nullable(),
  lastSyncAt: z.number().nullable(),
  nextSyncAt: z.number().nullable(),
  leadsCount: z.number(),
});
export type Page = z.infer<typeof pageSchema>;

export const questionSchema = z.object({
  key: z.string(),
  label: z.string(),
  type: z.string(),
  options: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
});

export const formSchema = z.object({
  id: z.string(),
  pageId: z.string(),
  name: z.string(),
  status: z.string(),
  locale: z.string().nullable(),
  leadsCount: z.number().nullable(),
  questions: z.array(questionSchema),
  lastSyncAt: z.number().nullable(),
});
export type Form = z.infer<typeof formSchema>;
