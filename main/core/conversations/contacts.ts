import type { Db } from '../store/db';

export type KeyKind = 'psid' | 'igsid' | 'wa_user' | 'wa_id' | 'phone' | 'email';

export interface ContactKey {
  kind: KeyKind;
  /** Page id for psid, IG account id for igsid; '' for keys that are global. */
  scope?: string;
  value: string;
}

export interface ContactProfile {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
}

/** The contact owning the first of `keys` that is known, in the order given (strongest first). */
export function findContact(db: Db, keys: ContactKey[]): number | null {
  const stmt = db.prepare('SELECT contact_id FROM contact_keys WHERE kind = ? AND scope = ? AND value = ?');
  for (const k of keys) {
    const row = stmt.get(k.kind, k.scope ?? '', k.value) as { contact_id: number } | undefined;
    if (row) return row.contact_id;
  }
  return null;
}

/**
 * Finds or creates the person behind these keys and records any key not yet known (a WhatsApp user
 * first seen by wa_id who now also has a BSUID keeps one contact). A key already owned by another
 * contact is left there: merging people is the owner's call (contacts.merge), never a side effect.
 */
export function resolveContact(db: Db, keys: ContactKey[], profile: ContactProfile, now: number): number {
  let id = findContact(db, keys);
  if (id === null) {
    id = Number(
      db
        .prepare('INSERT INTO contacts(name, phone, email, created_at) VALUES (?, ?, ?, ?)')
        .run(profile.name ?? null, profile.phone ?? null, profile.email ?? null, now).lastInsertRowid,
    );
  } else {
    // A newer profile name wins (people rename themselves); phone / email only fill gaps.
    db.prepare(
      `UPDATE contacts SET name = coalesce(?, name), phone = coalesce(phone, ?), email = coalesce(email, ?)
        WHERE id = ?`,
    ).run(profile.name ?? null, profile.phone ?? null, profile.email ?? null, id);
  }
  const add = db.prepare(
    'INSERT INTO contact_keys(kind, scope, value, contact_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  for (const k of keys) add.run(k.kind, k.scope ?? '', k.value, id);
  return id;
}

/** Moves every key, thread and lead link of `from` to `into` and deletes `from`. */
export function mergeContacts(db: Db, from: number, into: number): number {
  const merged = db.transaction(() => {
    const a = db.prepare('SELECT name, phone, email FROM contacts WHERE id = ?').get(from) as ContactProfile | undefined;
    if (!a || !db.prepare('SELECT 1 FROM contacts WHERE id = ?').get(into)) return -1;
    db.prepare(
      `UPDATE contacts SET name = coalesce(name, ?), phone = coalesce(phone, ?), email = coalesce(email, ?) WHERE id = ?`,
    ).run(a.name ?? null, a.phone ?? null, a.email ?? null, into);
    db.prepare('UPDATE OR IGNORE contact_keys SET contact_id = ? WHERE contact_id = ?').run(into, from);
    db.prepare('UPDATE OR IGNORE contact_leads SET contact_id = ? WHERE contact_id = ?').run(into, from);
    const moved = db.prepare('UPDATE threads SET contact_id = ? WHERE contact_id = ?').run(into, from).changes;
    db.prepare('DELETE FROM contacts WHERE id = ?').run(from);
    return moved;
  })();
  return merged;
}
