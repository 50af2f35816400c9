import type { ContactVia } from '../../../shared/index';
import type { Db } from '../store/db';

/**
 * Records a contact with a lead (an outbound message on any channel, a call / email / WhatsApp
 * quick action, or the owner setting the status to "contacted"). Only the first one counts for
 * speed to lead, so later contacts change nothing. Synchronous and transaction-friendly: callers
 * (the conversations sender, leads.setStatus) call it inside the transaction that stores their
 * own change, so the contact and the first-contact time commit together.
 *
 * Returns true when this call set the lead's first contact.
 */
export function recordFirstContact(db: Db, leadId: string, at: number, via: ContactVia): boolean {
  const lead = db.prepare('SELECT created_time, first_contact_at FROM leads WHERE id = ?').get(leadId) as
    | { created_time: number; first_contact_at: number | null }
    | undefined;
  if (!lead || lead.first_contact_at !== null) return false;
  // Meta's created_time and our clock can disagree by seconds; a contact can never precede the lead.
  const when = Math.max(at, lead.created_time);
  const set = db
    .prepare('UPDATE leads SET first_contact_at = ? WHERE id = ? AND first_contact_at IS NULL')
    .run(when, leadId);
  if (set.changes === 0) return false;
  db.prepare(
    `INSERT INTO first_contact (lead_id, at, via) VALUES (?, ?, ?)
       ON CONFLICT(lead_id) DO UPDATE SET at = excluded.at, via = excluded.via`,
  ).run(leadId, when, via);
  return true;
}

export function firstContactVia(db: Db, leadId: string): { at: number; via: ContactVia } | null {
  const row = db.prepare('SELECT at, via FROM first_contact WHERE lead_id = ?').get(leadId) as
    | { at: number; via: ContactVia }
    | undefined;
  return row ?? null;
}

/**
 * An outbound message in a thread (sent by the app, or an echo of one sent from the phone) is
 * a contact with every lead linked to the thread's person. Messages older than the lead (an
 * earlier conversation with the same person) are not an answer to it, so they do not count.
 * Returns the ids of the leads whose first contact this was.
 */
export function recordOutboundContact(db: Db, threadId: string, at: number): string[] {
  const leads = db
    .prepare(
      `SELECT cl.lead_id, t.channel FROM threads t
         JOIN contact_leads cl ON cl.contact_id = t.contact_id
         JOIN leads l ON l.id = cl.lead_id
        WHERE t.id = ? AND l.first_contact_at IS NULL AND l.created_time <= ?`,
    )
    .all(threadId, at + clockSkewMs) as { lead_id: string; channel: 'messenger' | 'instagram' | 'whatsapp' }[];
  return leads.filter((l) => recordFirstContact(db, l.lead_id, at, l.channel)).map((l) => l.lead_id);
}

/** Meta's clock (lead created_time) and ours may disagree by this much. */
const clockSkewMs = 60_000;
