import type { Channel, Thread, UnreadCounts } from '../../../shared/index';
import type { Db } from '../store/db';
import { nameKey } from './leadLinks';

export interface ThreadKey {
  channel: Channel;
  accountId: string;
  participantId: string;
}

export interface ThreadRecord {
  id: string;
  channel: Channel;
  account_id: string;
  asset_id: string | null;
  account_label: string | null;
  participant_id: string;
  wa_id: string | null;
  contact_id: number;
  last_message_at: number | null;
  last_preview: string | null;
  last_direction: 'in' | 'out' | null;
  last_inbound_at: number | null;
  unread_count: number;
  read_watermark: number;
  delivery_watermark: number;
  contact_name: string | null;
  contact_phone: string | null;
  page_name: string | null;
}

const columns = `t.*, c.name AS contact_name, c.phone AS contact_phone, p.name AS page_name`;
const joins = `JOIN contacts c ON c.id = t.contact_id LEFT JOIN pages p ON p.id = t.account_id`;

export function threadIdFor(k: ThreadKey): string {
  return `${k.channel}:${k.accountId}:${k.participantId}`;
}

/** Finds or creates the thread; later webhooks only fill what earlier ones lacked. */
export function ensureThread(
  db: Db,
  k: ThreadKey & { assetId: string | null; accountLabel?: string | null; waId?: string | null; contactId: number },
  now: number,
): string {
  const row = db
    .prepare(
      `INSERT INTO threads(id, channel, account_id, asset_id, account_label, participant_id, wa_id, contact_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(channel, account_id, participant_id) DO UPDATE SET
         asset_id = coalesce(excluded.asset_id, asset_id),
         account_label = coalesce(excluded.account_label, account_label),
         wa_id = coalesce(excluded.wa_id, wa_id)
       RETURNING id`,
    )
    .get(
      threadIdFor(k),
      k.channel,
      k.accountId,
      k.assetId,
      k.accountLabel ?? null,
      k.participantId,
      k.waId ?? null,
      k.contactId,
      now,
    ) as { id: string };
  return row.id;
}

/** The WhatsApp thread of this contact on this number, whatever key it was opened with. */
export function findThreadOfContact(db: Db, channel: Channel, accountId: string, contactId: number): string | null {
  const row = db
    .prepare(
      `SELECT id FROM threads WHERE channel = ? AND account_id = ? AND contact_id = ?
        ORDER BY last_message_at DESC LIMIT 1`,
    )
    .get(channel, accountId, contactId) as { id: string } | undefined;
  return row?.id ?? null;
}

/** Moves the thread's list fields forward for a stored message (older backfilled ones don't win). */
export function noteMessage(
  db: Db,
  threadId: string,
  m: { sentAt: number; preview: string; direction: 'in' | 'out'; unread: boolean; opensWindow: boolean },
): void {
  db.prepare(
    `UPDATE threads SET
       last_preview = CASE WHEN ? >= coalesce(last_message_at, 0) THEN ? ELSE last_preview END,
       last_direction = CASE WHEN ? >= coalesce(last_message_at, 0) THEN ? ELSE last_direction END,
       last_message_at = max(coalesce(last_message_at, 0), ?),
       last_inbound_at = CASE WHEN ? THEN max(coalesce(last_inbound_at, 0), ?) ELSE last_inbound_at END,
       unread_count = unread_count + ?
     WHERE id = ?`,
  ).run(
    m.sentAt,
    m.preview,
    m.sentAt,
    m.direction,
    m.sentAt,
    m.opensWindow ? 1 : 0,
    m.sentAt,
    m.unread ? 1 : 0,
    threadId,
  );
}

export function getThreadRecord(db: Db, id: string): ThreadRecord | null {
  return (db.prepare(`SELECT ${columns} FROM threads t ${joins} WHERE t.id = ?`).get(id) as ThreadRecord) ?? null;
}

export function getThread(db: Db, id: string): Thread | null {
  const r = getThreadRecord(db, id);
  return r ? toThread(r) : null;
}

export function toThread(r: ThreadRecord): Thread {
  const handle = r.channel === 'whatsapp' ? (r.contact_phone ?? r.wa_id ?? r.participant_id) : r.participant_id;
  return {
    id: r.id,
    channel: r.channel,
    accountId: r.account_id,
    accountName: r.page_name ?? r.account_label,
    contactId: r.contact_id,
    title: r.contact_name ?? (r.channel === 'whatsapp' ? handle : `${labelOf(r.channel)} user ${r.participant_id.slice(-4)}`),
    handle,
    lastMessageAt: r.last_message_at,
    lastMessagePreview: r.last_preview,
    lastDirection: r.last_direction,
    unreadCount: r.unread_count,
    lastInboundAt: r.last_inbound_at,
  };
}

function labelOf(c: Channel): string {
  return c === 'messenger' ? 'Messenger' : c === 'instagram' ? 'Instagram' : 'WhatsApp';
}

export interface ListQuery {
  channel?: Channel;
  unreadOnly: boolean;
  limit: number;
  before?: string;
}

/** Newest activity first, keyset-paged on (last_message_at, id) so page N costs what page 1 costs. */
export function listThreads(db: Db, q: ListQuery): { threads: Thread[]; nextCursor: string | null } {
  const where: string[] = ['t.last_message_at IS NOT NULL'];
  const args: unknown[] = [];
  if (q.channel) {
    where.push('t.channel = ?');
    args.push(q.channel);
  }
  if (q.unreadOnly) where.push('t.unread_count > 0');
  const cur = parseCursor(q.before);
  if (cur) {
    where.push('(t.last_message_at, t.id) < (?, ?)');
    args.push(cur.at, cur.id);
  }
  const rows = db
    .prepare(
      `SELECT ${columns} FROM threads t ${joins} WHERE ${where.join(' AND ')}
        ORDER BY t.last_message_at DESC, t.id DESC LIMIT ?`,
    )
    .all(...args, q.limit + 1) as ThreadRecord[];
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    threads: page.map(toThread),
    nextCursor: more && last ? `${last.last_message_at}|${last.id}` : null,
  };
}

function parseCursor(c: string | undefined): { at: number; id: string } | null {
  if (!c) return null;
  const i = c.indexOf('|');
  const at = Number(c.slice(0, i));
  return i > 0 && Number.isFinite(at) ? { at, id: c.slice(i + 1) } : null;
}

export function threadsOfContact(db: Db, contactId: number): Thread[] {
  const rows = db
    .prepare(`SELECT ${columns} FROM threads t ${joins} WHERE t.contact_id = ? ORDER BY t.last_message_at DESC`)
    .all(contactId) as ThreadRecord[];
  return rows.map(toThread);
}

export function unreadCounts(db: Db): UnreadCounts {
  const rows = db
    .prepare(
      `SELECT channel, sum(unread_count) AS n, count(*) AS threads FROM threads WHERE unread_count > 0 GROUP BY channel`,
    )
    .all() as { channel: Channel; n: number; threads: number }[];
  const out: UnreadCounts = { total: 0, messenger: 0, instagram: 0, whatsapp: 0, threads: 0 };
  for (const r of rows) {
    out[r.channel] = r.n;
    out.total += r.n;
    out.threads += r.threads;
  }
  return out;
}

const withNameKey = new WeakSet<Db>();

/**
 * Threads of other contacts whose name matches this contact's (case and spacing folded in any
 * script; SQLite's lower() folds ASCII only), for the owner to merge.
 */
export function sameNameThreads(db: Db, contactId: number): Thread[] {
  if (!withNameKey.has(db)) {
    db.function('li_name_key', { deterministic: true }, (name: unknown) => nameKey(typeof name === 'string' ? name : null));
    withNameKey.add(db);
  }
  const rows = db
    .prepare(
      `SELECT ${columns} FROM threads t ${joins}
        WHERE t.contact_id <> ? AND c.name IS NOT NULL
          AND li_name_key(c.name) = (SELECT li_name_key(name) FROM contacts WHERE id = ?)
        ORDER BY t.last_message_at DESC LIMIT 5`,
    )
    .all(contactId, contactId) as ThreadRecord[];
  return rows.map(toThread);
}
