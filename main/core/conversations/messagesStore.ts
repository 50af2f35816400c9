import type { Attachment, AttachmentType, Message, MessageKind, MessageStatus } from '../../../shared/index';
import { ApiError } from '../../../shared/index';
import type { Db } from '../store/db';

/** An attachment as stored: the remote handle (CDN url or WhatsApp media id) stays in main. */
export interface StoredAttachment {
  type: AttachmentType;
  title?: string | null;
  mimeType?: string | null;
  caption?: string | null;
  detail?: string | null;
  /** Messenger / Instagram CDN URL (no token in it, but never handed to the renderer either). */
  url?: string | null;
  /** WhatsApp media id, resolved with the number's token. */
  mediaId?: string | null;
}

export interface NewMessage {
  threadId: string;
  metaId: string | null;
  direction: 'in' | 'out';
  kind: MessageKind;
  text: string | null;
  attachments: StoredAttachment[];
  status: MessageStatus;
  sentAt: number;
  replyTo?: string | null;
  fromElsewhere?: boolean;
  extra?: unknown;
}

/**
 * Forward-only order of delivery states. failed sits below delivered: WhatsApp may report
 * `failed` after `sent`, but a message the phone confirmed delivered or read stays so.
 */
export const statusRank: Record<MessageStatus, number> = {
  received: 0,
  sending: 0,
  sent: 1,
  failed: 2,
  delivered: 3,
  read: 4,
};
const rankSql = `CASE status WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 0 END`;

/** Inserts unless Meta's id is already stored; `inserted` false means a replay. */
export function insertMessage(db: Db, m: NewMessage, now: number): { id: number; inserted: boolean } {
  const res = db
    .prepare(
      `INSERT INTO messages(thread_id, meta_id, direction, kind, text, attachments, status, sent_at, created_at,
                            reply_to, from_elsewhere, extra)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(meta_id) DO NOTHING`,
    )
    .run(
      m.threadId,
      m.metaId,
      m.direction,
      m.kind,
      m.text,
      JSON.stringify(m.attachments),
      m.status,
      m.sentAt,
      now,
      m.replyTo ?? null,
      m.fromElsewhere ? 1 : 0,
      m.extra === undefined ? null : JSON.stringify(m.extra),
    );
  if (res.changes === 0) {
    const row = db.prepare('SELECT id FROM messages WHERE meta_id = ?').get(m.metaId) as { id: number };
    return { id: row.id, inserted: false };
  }
  const id = Number(res.lastInsertRowid);
  if (m.metaId && m.direction === 'out') metaIdKnown(db, id, m.metaId);
  return { id, inserted: true };
}

/**
 * Our reply got Meta's id. If its echo beat the Send API answer, the echo's row is folded into
 * ours (keeping the furthest status), so the thread shows the reply once.
 */
export function markSent(db: Db, id: number, metaId: string): void {
  const twin = db.prepare('SELECT id, status FROM messages WHERE meta_id = ? AND id <> ?').get(metaId, id) as
    | { id: number; status: MessageStatus }
    | undefined;
  if (twin) db.prepare('DELETE FROM messages WHERE id = ?').run(twin.id);
  const status = twin && statusRank[twin.status] > statusRank.sent ? twin.status : 'sent';
  // Never backwards: an adopted echo (outbox.adoptEcho) may already have moved the row past 'sent'.
  db.prepare(
    `UPDATE messages SET meta_id = ?, status = CASE WHEN ${rankSql} > ? THEN status ELSE ? END,
        error = CASE WHEN ${rankSql} > ? THEN error ELSE NULL END WHERE id = ?`,
  ).run(metaId, statusRank[status], status, statusRank[status], id);
  metaIdKnown(db, id, metaId);
}

function metaIdKnown(db: Db, id: number, metaId: string): void {
  applyEarlyStatus(db, id, metaId);
  applyWatermarksTo(db, id);
}

/**
 * Moves one message's status forward. A status for a message we do not know yet (WhatsApp's
 * `sent` can beat the Send API answer) is parked and applied when the id shows up.
 */
export function applyStatus(
  db: Db,
  metaId: string,
  status: MessageStatus,
  error: string | null,
  at: number,
): { id: number; threadId: string } | null {
  const row = db
    .prepare(
      `UPDATE messages SET status = ?, error = CASE WHEN ? = 'failed' THEN ? ELSE error END
        WHERE meta_id = ? AND ${rankSql} < ? RETURNING id, thread_id`,
    )
    .get(status, status, error, metaId, statusRank[status]) as { id: number; thread_id: string } | undefined;
  if (row) return { id: row.id, threadId: row.thread_id };
  if (!db.prepare('SELECT 1 FROM messages WHERE meta_id = ?').get(metaId)) {
    db.prepare(
      `INSERT INTO early_statuses(meta_id, status, error, at) VALUES (?, ?, ?, ?)
       ON CONFLICT(meta_id) DO UPDATE SET status = excluded.status, error = excluded.error, at = excluded.at
       WHERE ${statusRankOf('excluded.status')} > ${statusRankOf('early_statuses.status')}`,
    ).run(metaId, status, error, at);
  }
  return null;
}

function statusRankOf(col: string): string {
  return `CASE ${col} WHEN 'sent' THEN 1 WHEN 'failed' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 0 END`;
}

function applyEarlyStatus(db: Db, id: number, metaId: string): void {
  const early = db.prepare('DELETE FROM early_statuses WHERE meta_id = ? RETURNING status, error').get(metaId) as
    | { status: MessageStatus; error: string | null }
    | undefined;
  if (!early) return;
  db.prepare(
    `UPDATE messages SET status = ?, error = CASE WHEN ? = 'failed' THEN ? ELSE error END WHERE id = ? AND ${rankSql} < ?`,
  ).run(early.status, early.status, early.error, id, statusRank[early.status]);
}

/** An echo that arrives after the person's read receipt is already read. */
function applyWatermarksTo(db: Db, id: number): void {
  db.prepare(
    `UPDATE messages SET status = CASE
        WHEN sent_at <= (SELECT read_watermark FROM threads WHERE id = messages.thread_id) THEN 'read'
        WHEN sent_at <= (SELECT delivery_watermark FROM threads WHERE id = messages.thread_id) THEN 'delivered'
        ELSE status END
      WHERE id = ? AND status IN ('sent', 'failed')`,
  ).run(id);
}

/**
 * Messenger delivery / read receipts: every reply sent at or before the watermark reaches that
 * state. Returns the ids that changed so the UI can update just those.
 */
export function applyWatermark(db: Db, threadId: string, status: 'delivered' | 'read', watermark: number): number[] {
  const col = status === 'read' ? 'read_watermark' : 'delivery_watermark';
  db.prepare(`UPDATE threads SET ${col} = max(${col}, ?) WHERE id = ?`).run(watermark, threadId);
  const rows = db
    .prepare(
      `UPDATE messages SET status = ? WHERE thread_id = ? AND direction = 'out' AND sent_at <= ?
          AND status <> 'sending' AND ${rankSql} < ? RETURNING id`,
    )
    .all(status, threadId, watermark, statusRank[status]) as { id: number }[];
  return rows.map((r) => r.id);
}

/** Sets (emoji) or clears (null) one side's reaction to a message. */
export function setReaction(db: Db, targetMetaId: string, by: 'contact' | 'business', emoji: string | null, at: number): void {
  if (emoji) {
    db.prepare(
      `INSERT INTO reactions(target_meta_id, by, emoji, at) VALUES (?, ?, ?, ?)
       ON CONFLICT(target_meta_id, by) DO UPDATE SET emoji = excluded.emoji, at = excluded.at WHERE excluded.at >= reactions.at`,
    ).run(targetMetaId, by, emoji, at);
  } else {
    db.prepare('DELETE FROM reactions WHERE target_meta_id = ? AND by = ? AND at <= ?').run(targetMetaId, by, at);
  }
}

interface MessageRecord {
  id: number;
  thread_id: string;
  meta_id: string | null;
  direction: 'in' | 'out';
  kind: MessageKind;
  text: string | null;
  attachments: string;
  status: MessageStatus;
  error: string | null;
  sent_at: number;
  reply_to: string | null;
  from_elsewhere: number;
}

const messageColumns = `id, thread_id, meta_id, direction, kind, text, attachments, status, error, sent_at, reply_to, from_elsewhere`;

export function storedAttachments(db: Db, messageId: number): StoredAttachment[] | null {
  const row = db.prepare('SELECT attachments FROM messages WHERE id = ?').get(messageId) as
    | { attachments: string }
    | undefined;
  return row ? (JSON.parse(row.attachments) as StoredAttachment[]) : null;
}

export function getMessage(db: Db, id: number): Message | null {
  const r = db.prepare(`SELECT ${messageColumns} FROM messages WHERE id = ?`).get(id) as MessageRecord | undefined;
  return r ? toMessages(db, [r])[0]! : null;
}

/**
 * The newest `limit` messages before the cursor (a message id), returned oldest first. One index
 * range scan on (thread_id, sent_at DESC, id DESC) whatever the thread's length.
 */
export function messagePage(
  db: Db,
  threadId: string,
  limit: number,
  before?: string,
): { messages: Message[]; olderCursor: string | null } {
  let rows: MessageRecord[];
  const anchor = before
    ? (db.prepare('SELECT sent_at, id FROM messages WHERE id = ? AND thread_id = ?').get(Number(before), threadId) as
        | { sent_at: number; id: number }
        | undefined)
    : undefined;
  if (before && !anchor) throw new ApiError({ code: 'invalid_input', message: 'That message is not in this conversation.' });
  if (anchor) {
    rows = db
      .prepare(
        `SELECT ${messageColumns} FROM messages WHERE thread_id = ? AND (sent_at, id) < (?, ?)
          ORDER BY sent_at DESC, id DESC LIMIT ?`,
      )
      .all(threadId, anchor.sent_at, anchor.id, limit + 1) as MessageRecord[];
  } else {
    rows = db
      .prepare(`SELECT ${messageColumns} FROM messages WHERE thread_id = ? ORDER BY sent_at DESC, id DESC LIMIT ?`)
      .all(threadId, limit + 1) as MessageRecord[];
  }
  const more = rows.length > limit;
  const page = rows.slice(0, limit).reverse();
  return { messages: toMessages(db, page), olderCursor: more && page[0] ? String(page[0].id) : null };
}

function toMessages(db: Db, rows: MessageRecord[]): Message[] {
  const metaIds = rows.map((r) => r.meta_id).filter((x): x is string => !!x);
  const reactions = new Map<string, Message['reactions']>();
  if (metaIds.length) {
    const rs = db
      .prepare(
        `SELECT target_meta_id, by, emoji FROM reactions WHERE target_meta_id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(metaIds)) as { target_meta_id: string; by: 'contact' | 'business'; emoji: string }[];
    for (const r of rs) {
      const list = reactions.get(r.target_meta_id) ?? [];
      list.push({ by: r.by, emoji: r.emoji });
      reactions.set(r.target_meta_id, list);
    }
  }
  return rows.map((r) => ({
    id: String(r.id),
    threadId: r.thread_id,
    metaId: r.meta_id,
    direction: r.direction,
    kind: r.kind,
    text: r.text,
    attachments: (JSON.parse(r.attachments) as StoredAttachment[]).map(publicAttachment),
    status: r.status,
    error: r.error,
    sentAt: r.sent_at,
    replyToMetaId: r.reply_to,
    reactions: (r.meta_id && reactions.get(r.meta_id)) || [],
    fromElsewhere: r.from_elsewhere === 1,
  }));
}

function publicAttachment(a: StoredAttachment): Attachment {
  return {
    type: a.type,
    title: a.title ?? null,
    mimeType: a.mimeType ?? null,
    caption: a.caption ?? null,
    detail: a.detail ?? null,
    hasMedia: Boolean(a.url || a.mediaId),
  };
}

export function messageIdByMetaId(db: Db, metaId: string): { id: number; threadId: string } | null {
  const r = db.prepare('SELECT id, thread_id FROM messages WHERE meta_id = ?').get(metaId) as
    | { id: number; thread_id: string }
    | undefined;
  return r ? { id: r.id, threadId: r.thread_id } : null;
}

/**
 * Whether WhatsApp refused a free-form reply of this thread with 131047 ("Re-engagement message")
 * after the person's last message, either at once or through a `failed` status. Both paths store
 * Meta's code as "(code 131047)" in the error (sender.describeSendError, describeWhatsAppError).
 */
export function freeTextRefusedSince(db: Db, threadId: string, lastInboundAt: number | null): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM messages WHERE thread_id = ? AND direction = 'out' AND status = 'failed'
            AND sent_at >= ? AND error LIKE '%(code ${reengagementCode})%' LIMIT 1`,
      )
      .get(threadId, lastInboundAt ?? 0) !== undefined
  );
}

/** WhatsApp's "more than 24 hours since the customer last replied" (meta-platform.md §5). */
export const reengagementCode = 131047;
