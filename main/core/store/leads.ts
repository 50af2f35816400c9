import type { LeadDetail, LeadRow } from '../../../shared/index';
import type { Db } from './db';
import { stmt } from './statements';

/** Column list shared by every list query, so rows always map the same way. */
export const leadRowColumns = `
  l.id, l.page_id, p.name AS page_name, l.form_id, f.name AS form_name, l.created_time,
  l.received_at, l.state, l.platform, l.is_organic, l.full_name, l.email, l.phone, l.company,
  l.city, l.status, l.first_contact_at, l.follow_up_at,
  (SELECT group_concat(tag, char(31)) FROM lead_tags t WHERE t.lead_id = l.id) AS tags`;

export const leadJoins = `LEFT JOIN pages p ON p.id = l.page_id LEFT JOIN forms f ON f.id = l.form_id`;

export interface LeadRowRecord {
  id: string;
  page_id: string;
  page_name: string | null;
  form_id: string | null;
  form_name: string | null;
  created_time: number;
  received_at: number;
  state: LeadRow['state'];
  platform: string | null;
  is_organic: number | null;
  full_name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  city: string | null;
  status: string;
  first_contact_at: number | null;
  follow_up_at: number | null;
  tags: string | null;
}

export function toLeadRow(r: LeadRowRecord): LeadRow {
  return {
    id: r.id,
    pageId: r.page_id,
    pageName: r.page_name,
    formId: r.form_id,
    formName: r.form_name,
    createdTime: r.created_time,
    receivedAt: r.received_at,
    state: r.state,
    platform:
      r.platform === 'instagram' ? 'instagram' : r.platform === 'facebook' ? 'facebook' : null,
    isOrganic: r.is_organic === null ? null : r.is_organic === 1,
    name: r.full_name,
    email: r.email,
    phone: r.phone,
    company: r.company,
    city: r.city,
    status: r.status,
    tags: r.tags ? r.tags.split('\u001f') : [],
    firstContactAt: r.first_contact_at,
    followUpAt: r.follow_up_at,
  };
}

export function getLeadRow(db: Db, id: string): LeadRow | null {
  const r = stmt(db, `SELECT ${leadRowColumns} FROM leads l ${leadJoins} WHERE l.id = ?`).get(
    id,
  ) as LeadRowRecord | undefined;
  return r ? toLeadRow(r) : null;
}

export function getLeadDetail(db: Db, id: string): LeadDetail | null {
  const r = stmt(
    db,
    `SELECT ${leadRowColumns}, l.answers, l.ad_id, l.ad_name, l.adset_id, l.adset_name,
              l.campaign_id, l.campaign_name, l.notes, l.fetch_error
         FROM leads l ${leadJoins} WHERE l.id = ?`,
  ).get(id) as
    | (LeadRowRecord & {
        answers: string;
        ad_id: string | null;
        ad_name: string | null;
        adset_id: string | null;
        adset_name: string | null;
        campaign_id: string | null;
        campaign_name: string | null;
        notes: string;
        fetch_error: string | null;
      })
    | undefined;
  if (!r) return null;
  return {
    ...toLeadRow(r),
    answers: JSON.parse(r.answers) as LeadDetail['answers'],
    adId: r.ad_id,
    adName: r.ad_name,
    adsetId: r.adset_id,
    adsetName: r.adset_name,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    notes: r.notes,
    fetchError: r.fetch_error,
  };
}
