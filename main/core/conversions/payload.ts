import type { ConversionSettings } from '../../../shared/index';
import { hashedEmail, hashedPhone } from './hashing';
import type { DueRow } from './queue';

/** The name Meta shows as the CRM that sent the event (custom_data.lead_event_source). */
export const crmName = 'Lead Inbox';

/** One CRM event as Meta's Conversion Leads payload specification defines it (meta-platform.md §7). */
export interface CapiEventPayload {
  event_name: string;
  /** Unix seconds. */
  event_time: number;
  action_source: 'system_generated';
  /** Same id for every retry of this lead+stage, so Meta drops a copy it already has. */
  event_id: string;
  user_data: { lead_id: string; em?: string[]; ph?: string[] };
  custom_data: { event_source: 'crm'; lead_event_source: string };
}

/**
 * Only what Meta needs leaves the machine: the lead id always (not hashed, per Meta's spec), and
 * SHA-256 hashes of the normalised email / phone only when the owner opted in.
 */
export function buildCapiEvent(row: DueRow, settings: ConversionSettings): CapiEventPayload {
  const userData: CapiEventPayload['user_data'] = { lead_id: row.lead_id };
  if (settings.sendHashedContact) {
    const em = hashedEmail(row.email);
    const ph = hashedPhone(row.phone, settings.defaultCountry);
    if (em) userData.em = [em];
    if (ph) userData.ph = [ph];
  }
  return {
    event_name: row.event_name,
    event_time: Math.floor(row.event_time / 1000),
    action_source: 'system_generated',
    event_id: `${row.lead_id}.${row.stage}`,
    user_data: userData,
    custom_data: { event_source: 'crm', lead_event_source: crmName },
  };
}

/** Backoff for retryable failures: exponential from 1 min, capped at 15 min, with jitter. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(15 * 60_000, 60_000 * 2 ** Math.max(0, attempts));
  // Jitter in [0.5, 1) × base spreads installs that failed together without exceeding the cap.
  return Math.round(base * (0.5 + random() * 0.5));
}
