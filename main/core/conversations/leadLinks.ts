import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { LinkedLead } from '../../../shared/index';
import { kvGet, kvSet } from '../store/kv';
import type { Db } from '../store/db';
import { stmt } from '../store/statements';

/** E.164 or null. Lead forms and WhatsApp give international numbers; without a country code we do not guess. */
export function normalisePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.replace(/[\s().-]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (!s.startsWith('+')) {
    if (!/^\d{8,15}$/.test(s)) return null;
    s = `+${s}`; // wa_id and most lead-form answers are digits with the country code
  }
  const p = parsePhoneNumberFromString(s);
  return p?.isPossible() ? p.number : null;
}

/** A name folded for comparison: Unicode case, compatibility forms and spacing. */
export function nameKey(raw: string | null): string | null {
  const s = raw?.normalize('NFKC').toLocaleLowerCase().replace(/\s+/g, ' ').trim();
  return s ? s : null;
}

interface LeadFields {
  id: string;
  phone: string | null;
  email: string | null;
  full_name: string | null;
}

/**
 * Keeps lead_match (normalised phone / email / name) current for one lead and links it to the
 * contact with the same phone: a lead's phone equal to a WhatsApp wa_id is the same person.
 */
export function refreshLead(db: Db, leadId: string, now: number): void {
  const lead = stmt(db, 'SELECT id, phone, email, full_name FROM leads WHERE id = ?').get(
    leadId,
  ) as LeadFields | undefined;
  if (lead) indexLead(db, lead, now);
}

function indexLead(db: Db, lead: LeadFields, now: number): void {
  const phone = normalisePhone(lead.phone);
  const email = lead.email?.trim().toLowerCase() || null;
  stmt(
    db,
    `INSERT INTO lead_match(lead_id, phone_e164, email_lc, name_lc) VALUES (?, ?, ?, ?)
     ON CONFLICT(lead_id) DO UPDATE SET phone_e164 = excluded.phone_e164, email_lc = excluded.email_lc,
       name_lc = excluded.name_lc`,
  ).run(lead.id, phone, email, nameKey(lead.full_name));
  if (!phone) return;
  const contact = stmt(
    db,
    `SELECT contact_id FROM contact_keys WHERE kind = 'phone' AND scope = '' AND value = ?`,
  ).get(phone) as { contact_id: number } | undefined;
  if (contact) linkLead(db, contact.contact_id, lead.id, 'phone', now);
}

/** Indexes leads added since the last sweep (by rowid), a batch at a time; returns how many. */
export function sweepLeads(db: Db, now: number, batch = 2000): number {
  const from = Number(kvGet(db, 'conversations.leadSweepRowid') ?? 0);
  const rows = db
    .prepare(
      'SELECT rowid AS r, id, phone, email, full_name FROM leads WHERE rowid > ? ORDER BY rowid LIMIT ?',
    )
    .all(from, batch) as (LeadFields & { r: number })[];
  if (rows.length === 0) return 0;
  db.transaction(() => {
    for (const r of rows) indexLead(db, r, now);
    kvSet(db, 'conversations.leadSweepRowid', String(rows.at(-1)!.r));
  })();
  return rows.length;
}

/** Links every lead whose phone is this contact's phone (called when a WhatsApp contact appears). */
export function linkLeadsByPhone(db: Db, contactId: number, phoneE164: string, now: number): void {
  const leads = stmt(db, 'SELECT lead_id FROM lead_match WHERE phone_e164 = ?').all(phoneE164) as {
    lead_id: string;
  }[];
  for (const l of leads) linkLead(db, contactId, l.lead_id, 'phone', now);
}

/** A lead belongs to one person; an automatic phone link never overrides the owner's choice. */
export function linkLead(
  db: Db,
  contactId: number,
  leadId: string,
  how: 'phone' | 'owner',
  now: number,
): void {
  if (how === 'owner') {
    db.prepare(
      `INSERT INTO contact_leads(lead_id, contact_id, how, linked_at) VALUES (?, ?, 'owner', ?)
       ON CONFLICT(lead_id) DO UPDATE SET contact_id = excluded.contact_id, how = 'owner', linked_at = excluded.linked_at`,
    ).run(leadId, contactId, now);
  } else {
    db.prepare(
      `INSERT INTO contact_leads(lead_id, contact_id, how, linked_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(leadId, contactId, how, now);
  }
}

interface LeadRowLite {
  id: string;
  full_name: string | null;
  phone: string | null;
  email: string | null;
  status: string;
  created_time: number;
}

/** The person's linked leads, then leads that share their email or name for the owner to confirm. */
export function leadsForContact(db: Db, contactId: number): LinkedLead[] {
  const linked = db
    .prepare(
      `SELECT l.id, l.full_name, l.phone, l.email, l.status, l.created_time, cl.how
         FROM contact_leads cl JOIN leads l ON l.id = cl.lead_id
        WHERE cl.contact_id = ? ORDER BY l.created_time DESC LIMIT 50`,
    )
    .all(contactId) as (LeadRowLite & { how: LinkedLead['reason'] })[];
  const out: LinkedLead[] = linked.map((l) => toLinked(l, 'linked', l.how));
  const contact = db.prepare('SELECT name, email FROM contacts WHERE id = ?').get(contactId) as
    { name: string | null; email: string | null } | undefined;
  if (!contact) return out;
  const seen = new Set(out.map((l) => l.id));
  const suggest = (
    column: 'email_lc' | 'name_lc',
    value: string | null,
    reason: 'email' | 'name',
  ) => {
    if (!value) return;
    const rows = db
      .prepare(
        `SELECT l.id, l.full_name, l.phone, l.email, l.status, l.created_time
           FROM lead_match m JOIN leads l ON l.id = m.lead_id
          WHERE m.${column} = ? AND m.lead_id NOT IN (SELECT lead_id FROM contact_leads) LIMIT 10`,
      )
      .all(value) as LeadRowLite[];
    for (const r of rows) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(toLinked(r, 'suggested', reason));
    }
  };
  suggest('email_lc', contact.email?.trim().toLowerCase() ?? null, 'email');
  suggest('name_lc', nameKey(contact.name), 'name');
  return out;
}

function toLinked(
  l: LeadRowLite,
  link: LinkedLead['link'],
  reason: LinkedLead['reason'],
): LinkedLead {
  return {
    id: l.id,
    name: l.full_name,
    phone: l.phone,
    email: l.email,
    status: l.status,
    createdTime: l.created_time,
    link,
    reason,
  };
}
