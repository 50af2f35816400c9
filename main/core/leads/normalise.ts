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

/** Meta's standard questions, whose answers the inbox keeps in columns of their own. */
const standardQuestions = [
  'full_name',
  'first_name',
  'last_name',
  'email',
  'phone_number',
  'phone',
  'company_name',
  'company',
  'city',
] as const;
type StandardQuestionKey = (typeof standardQuestions)[number];
export const standardQuestionKeys: ReadonlySet<string> = new Set(standardQuestions);

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
  // Meta's own form, once per lead in a backfill: UTC written as +0000, which Date.parse reads
  // only as +00:00 or Z.
  const iso =
    value.length === 24 && value.endsWith('+0000')
      ? value.slice(0, 19) + 'Z'
      : value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`Unreadable Meta time: ${value.slice(0, 40)}`);
  return ms;
}

/**
 * Turns Meta's field_data into the columns the inbox shows, keeping every answer (standard and
 * custom) with its question label. Multiple-choice answers arrive as option keys; we show the
 * option text the owner wrote in the form. Runs once per lead of a backfill (100,000 on a first
 * connect), so it keeps to one pass and no per-lead lookup tables.
 */
export function normaliseLead(
  raw: GraphLead,
  questions: FormQuestion[],
  locale?: string | null,
): NormalisedLead {
  const byKey = questionsByKey(questions);
  const answers: Answer[] = [];
  // The first value of each standard question (of its last occurrence, should one repeat).
  const first: Partial<Record<StandardQuestionKey, string>> = {};
  for (const f of raw.field_data ?? []) {
    const q = byKey.get(f.name);
    const vals: string[] = [];
    for (const v of f.values ?? []) vals.push(optionLabel(q, String(v)));
    answers.push({ key: f.name, label: q?.label ?? humanise(f.name), values: vals });
    if (standardQuestionKeys.has(f.name)) first[f.name as StandardQuestionKey] = vals[0];
  }
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
    fullName:
      clean(first.full_name) ??
      clean([clean(first.first_name), clean(first.last_name)].filter(Boolean).join(' ')),
    email: clean(first.email)?.toLowerCase() ?? null,
    phone: normalisePhone(clean(first.phone_number) ?? clean(first.phone), countryOf(locale)),
    company: clean(first.company_name) ?? clean(first.company),
    city: clean(first.city),
    answers,
  };
}

const byKeyCache = new WeakMap<FormQuestion[], Map<string, FormQuestion>>();

/** The form's questions by key, built once per questions list (a backfill passes one per form). */
function questionsByKey(questions: FormQuestion[]): Map<string, FormQuestion> {
  let byKey = byKeyCache.get(questions);
  if (!byKey) {
    byKey = new Map(questions.map((q) => [q.key, q]));
    byKeyCache.set(questions, byKey);
  }
  return byKey;
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

let lastLocale: string | null | undefined;
let lastCountry: CountryCode | undefined;

/** The country of a form locale such as en_GB (every lead of a form has the same: kept). */
function countryOf(locale?: string | null): CountryCode | undefined {
  if (locale !== lastLocale) {
    const m = /^[a-z]{2}[_-]([A-Z]{2})$/.exec(locale ?? '');
    lastLocale = locale;
    lastCountry = m ? (m[1] as CountryCode) : undefined;
  }
  return lastCountry;
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
