import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Answer, Platform } from '../../../shared/index';

/** A lead as the Graph API returns it (`GET /{lead-id}` or `/{form-id}/leads`), see meta-platform.md §3. */
export interface GraphLead {
  id: string;
  created_time: string;
  field_data?: { name: string; values?: string[] }[];
  form_id?: string;
  ad_id?: string;
  ad_name?: string;
  adset_id?: string;
  adset_name?: string;
  campaign_id?: string;
  campaign_name?: string;
  is_organic?: boolean;
  /** 'fb' | 'ig' in Meta's answers; kept loose because Meta adds values (e.g. 'messenger'). */
  platform?: string;
}

/** The fields list we ask Meta for, for one lead and for form backfill alike. */
export const leadFields =
  'id,created_time,field_data,form_id,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,is_organic,platform';

export interface FormQuestion {
  key: string;
  label: string;
  type: string;
  options?: { key: string; value: string }[];
}

export interface NormalisedLead {
  id: string;
  formId: string | null;
  /** Unix ms. */
  createdTime: number;
  platform: Platform | null;
  isOrganic: boolean;
  adId: string | null;
  adName: string | null;
  adsetId: string | null;
  adsetName: string | null;
  campaignId: string | null;
  campaignName: string | null;
  fullName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  city: string | null;
  answers: Answer[];
}

/** Meta writes offsets as +0000; parse both that and the ISO form, falling back to "now" never. */
export function parseMetaTime(value: string | number): number {
  if (typeof value === 'number') return value < 1e12 ? value * 1000 : value;
  const ms = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (Number.isNaN(ms)) throw new Error(`Unreadable Meta time: ${value.slice(0, 40)}`);
  return ms;
}

/**
 * Turns Meta's field_data into the columns the inbox shows, keeping every answer (standard and
 * custom) with its question label. Multiple-choice answers arrive as option keys; we show the
 * option text the owner wrote in the form.
 */
export function normaliseLead(
  raw: GraphLead,
  questions: FormQuestion[],
  locale?: string | null,
): NormalisedLead {
  const byKey = new Map(questions.map((q) => [q.key, q]));
  const values = new Map<string, string[]>();
  const answers: Answer[] = [];
  for (const f of raw.field_data ?? []) {
    const q = byKey.get(f.name);
    const vals = (f.values ?? []).map((v) => optionLabel(q, String(v)));
    values.set(f.name, vals);
    answers.push({ key: f.name, label: q?.label ?? humanise(f.name), values: vals });
  }
  const first = (key: string) => clean(values.get(key)?.[0]);
  const fullName =
    first('full_name') ??
    clean([first('first_name'), first('last_name')].filter(Boolean).join(' '));
  const adId = raw.ad_id || null;
  return {
    id: raw.id,
    formId: raw.form_id ?? null,
    createdTime: parseMetaTime(raw.created_time),
    platform: raw.platform === 'ig' ? 'instagram' : raw.platform === 'fb' ? 'facebook' : null,
    // Test and organic leads carry no ad id (meta-platform.md §3).
    isOrganic: raw.is_organic ?? adId === null,
    adId,
    adName: raw.ad_name || null,
    adsetId: raw.adset_id || null,
    adsetName: raw.adset_name || null,
    campaignId: raw.campaign_id || null,
    campaignName: raw.campaign_name || null,
    fullName,
    email: first('email')?.toLowerCase() ?? null,
    phone: normalisePhone(first('phone_number') ?? first('phone'), countryOf(locale)),
    company: first('company_name') ?? first('company'),
    city: first('city'),
    answers,
  };
}

/**
 * E.164 when the number parses to a possible number (with the form's country as the default),
 * else as typed. isPossible (length per country) rather than isValid (full pattern match): Meta
 * already checked the input on the form, and isValid's regexes dominate a 100k-lead backfill.
 */
export function normalisePhone(value: string | null, defaultCountry?: CountryCode): string | null {
  if (!value) return null;
  // Already E.164 (Meta's phone question usually sends this): parsing would only hand the same
  // digits back, and it is the costliest step of normalising a lead in a large backfill.
  if (e164.test(value)) return value;
  const parsed = parsePhoneNumberFromString(value, defaultCountry);
  return parsed?.isPossible() ? parsed.number : value.trim();
}

const e164 = /^\+[1-9]\d{7,14}$/;

function countryOf(locale?: string | null): CountryCode | undefined {
  const m = /^[a-z]{2}[_-]([A-Z]{2})$/.exec(locale ?? '');
  return m ? (m[1] as CountryCode) : undefined;
}

function optionLabel(q: FormQuestion | undefined, value: string): string {
  return q?.options?.find((o) => o.key === value)?.value ?? value;
}

function clean(v: string | null | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

function humanise(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
