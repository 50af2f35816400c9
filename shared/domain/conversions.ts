import { z } from 'zod';

/**
 * Conversion feedback (Meta's Conversions API for CRM leads) and speed to lead.
 * Times are Unix milliseconds unless a name says otherwise.
 */

/** Stages sent by default and the event names Meta sees for them (free text per Meta's spec). */
export const defaultStageEvents: Record<string, string> = {
  contacted: 'Contacted',
  qualified: 'Qualified',
  won: 'Converted',
};

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use 24-hour HH:MM');

/** Days are 0 = Sunday … 6 = Saturday, in the owner's time zone. */
export const businessHoursSchema = z.object({
  days: z.array(z.number().int().min(0).max(6)).max(7),
  start: hhmm,
  end: hhmm,
});
export type BusinessHours = z.infer<typeof businessHoursSchema>;

export const conversionSettingsSchema = z.object({
  /** Dataset (pixel) id the events go to; null turns conversion feedback off. */
  datasetId: z
    .string()
    .regex(/^\d{5,20}$/, 'A dataset id is the number shown in Events Manager')
    .nullable(),
  /** Pipeline stage → event name. Stages not listed are never sent. */
  stageEvents: z.record(z.string().min(1).max(40), z.string().trim().min(1).max(100)),
  /** Events Manager → Test Events code; while set, events show there instead of counting. */
  testEventCode: z.string().trim().max(40).nullable(),
  /** Opt-in: also send SHA-256 hashes of the normalised email and phone (lead id alone otherwise). */
  sendHashedContact: z.boolean(),
  /** ISO 3166 country used when a phone number has no country code (Meta needs one). */
  defaultCountry: z.string().regex(/^[A-Z]{2}$/).nullable(),
  /** Remind about an uncontacted new lead after this many business-hour minutes. */
  reminderMinutes: z.number().int().min(1).max(24 * 60),
  /** False turns speed-to-lead reminders off. */
  remindersEnabled: z.boolean(),
  businessHours: businessHoursSchema,
  /** IANA time zone for business hours and weekly figures, e.g. Europe/Berlin. */
  timeZone: z.string().min(1).max(64),
});
export type ConversionSettings = z.infer<typeof conversionSettingsSchema>;

/** What the sender is doing, so Settings can show "reconnect" instead of silently stopping. */
export const conversionsHealthSchema = z.object({
  state: z.enum(['off', 'ok', 'reauth_required', 'retrying']),
  message: z.string().nullable(),
  pending: z.number(),
  failed: z.number(),
  sent: z.number(),
});
export type ConversionsHealth = z.infer<typeof conversionsHealthSchema>;

export const capiEventStatusSchema = z.enum(['pending', 'sent', 'failed']);
export type CapiEventStatus = z.infer<typeof capiEventStatusSchema>;

/** One row of a lead's conversion log. */
export const capiEventSchema = z.object({
  id: z.number(),
  leadId: z.string(),
  stage: z.string(),
  eventName: z.string(),
  /** When the lead moved to the stage (what Meta receives, in seconds). */
  eventTime: z.number(),
  status: capiEventStatusSchema,
  attempts: z.number(),
  nextAttemptAt: z.number().nullable(),
  /** Meta's message for the last failed attempt (or why we did not send). */
  lastError: z.string().nullable(),
  sentAt: z.number().nullable(),
  testEventCode: z.string().nullable(),
});
export type CapiEvent = z.infer<typeof capiEventSchema>;

export const contactViaSchema = z.enum(['call', 'email', 'whatsapp', 'messenger', 'instagram', 'status']);
export type ContactVia = z.infer<typeof contactViaSchema>;

/** Median time from lead created to first contact, over a group of leads. */
export const speedGroupSchema = z.object({
  medianMs: z.number().nullable(),
  contacted: z.number(),
  uncontacted: z.number(),
});

export const speedToLeadStatsSchema = z.object({
  overall: speedGroupSchema,
  perForm: z.array(
    speedGroupSchema.extend({ formId: z.string().nullable(), formName: z.string().nullable() }),
  ),
  /** Weeks start on Monday in the owner's time zone; `week` is that Monday as YYYY-MM-DD. */
  perWeek: z.array(speedGroupSchema.extend({ week: z.string() })),
});
export type SpeedToLeadStats = z.infer<typeof speedToLeadStatsSchema>;
