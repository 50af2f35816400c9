import type { ConversationSettings, Message } from '../../../shared/index';
import { ApiError } from '../../../shared/index';
import type { GraphClient } from '../graph/client';
import type { Clock, Logger, TokenStore } from '../ports';
import type { Db } from '../store/db';
import { getMessage, markSent, messageIdByMetaId } from './messagesStore';
import { Changes } from './publish';
import { outboundSent, recordMessage } from './record';
import { describeSendError, isTransient, retryDelayMs, sendReply, type ReplyPayload } from './sender';
import { getThreadRecord } from './threadsStore';

export interface OutboxDeps {
  db: Db;
  graph: GraphClient;
  tokens: TokenStore;
  clock: Clock;
  logger: Logger;
  publish: (c: Changes) => void;
  settings: () => ConversationSettings;
  /** Transient failures retried by themselves before the reply is marked failed. */
  maxAttempts?: number;
}

export interface Outbox {
  /** Stores the reply as `sending` and queues it in one transaction; answers with the local row. */
  enqueue(threadId: string, payload: ReplyPayload, shown: string): Message;
  /** A failed reply goes back in the queue. */
  retry(messageId: number): Message;
  start(): void;
  /** Waits for a send in flight; what is still queued stays in SQLite for the next start. */
  stop(): Promise<void>;
  /** Sends everything due now; resolves when the queue has nothing due. For start-up and tests. */
  drain(): Promise<void>;
}

interface OutboxRow {
  message_id: number;
  payload: string;
  attempts: number;
  thread_id: string;
}

/**
 * The durable reply queue. A reply is committed before any network call, so nothing typed is lost
 * if the app closes mid-send; on start the worker resumes whatever is still queued. Meta's send APIs
 * have no idempotency key: if Meta accepted a reply but its answer was lost (timeout, crash), the
 * Messenger / Instagram echo adopts the queued row (adoptEcho) before a retry goes out whenever it
 * arrives first. WhatsApp sends no echo, so there a lost answer can still mean a second send.
 */
export function createOutbox(deps: OutboxDeps): Outbox {
  const { db, clock } = deps;
  const maxAttempts = deps.maxAttempts ?? 5;
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let draining: Promise<void> | null = null;

  const schedule = () => {
    if (!running) return;
    if (timer) clearTimeout(timer);
    const next = db.prepare('SELECT min(next_attempt_at) AS at FROM outbox').get() as { at: number | null };
    if (next.at === null) return;
    timer = setTimeout(() => void kick(), Math.max(0, Math.min(next.at - clock.now(), 60_000)));
    timer.unref?.();
  };

  const kick = (): Promise<void> => {
    if (!draining) {
      draining = drainDue().finally(() => {
        draining = null;
        schedule();
      });
    }
    return draining;
  };

  async function drainDue(): Promise<void> {
    for (;;) {
      const row = db
        .prepare(
          `SELECT o.message_id, o.payload, o.attempts, m.thread_id FROM outbox o JOIN messages m ON m.id = o.message_id
            WHERE o.next_attempt_at <= ?
              -- replies of one thread leave in the order they were typed, even when one is backing off
              AND NOT EXISTS (SELECT 1 FROM outbox o2 JOIN messages m2 ON m2.id = o2.message_id
                               WHERE m2.thread_id = m.thread_id AND o2.message_id < o.message_id)
            ORDER BY o.next_attempt_at, o.message_id LIMIT 1`,
        )
        .get(clock.now()) as OutboxRow | undefined;
      if (!row) return;
      await sendOne(row);
    }
  }

  async function sendOne(row: OutboxRow): Promise<void> {
    const thread = getThreadRecord(db, row.thread_id);
    const changes = new Changes().message(row.thread_id, row.message_id);
    try {
      if (!thread) throw new Error('thread is gone');
      const metaId = await sendReply(deps.graph, deps.tokens, thread, JSON.parse(row.payload) as ReplyPayload, clock.now(), deps.settings());
      db.transaction(() => {
        markSent(db, row.message_id, metaId);
        outboundSent(db, changes, row.thread_id, clock.now());
        db.prepare('DELETE FROM outbox WHERE message_id = ?').run(row.message_id);
      })();
    } catch (e) {
      const attempts = row.attempts + 1;
      const message = describeSendError(e);
      deps.logger.warn('reply not sent', { messageId: row.message_id, attempts, error: message });
      if (isTransient(e) && attempts < maxAttempts) {
        db.prepare('UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE message_id = ?').run(
          attempts,
          clock.now() + retryDelayMs(e, attempts),
          message,
          row.message_id,
        );
        return;
      }
      db.transaction(() => {
        db.prepare(`UPDATE messages SET status = 'failed', error = ? WHERE id = ?`).run(message, row.message_id);
        db.prepare('DELETE FROM outbox WHERE message_id = ?').run(row.message_id);
      })();
    }
    deps.publish(changes);
  }

  return {
    enqueue(threadId, payload, shown) {
      const now = clock.now();
      const changes = new Changes();
      const id = db.transaction(() => {
        const mid = recordMessage(
          db,
          changes,
          {
            threadId,
            metaId: null,
            direction: 'out',
            kind: 'text' in payload ? 'text' : 'template',
            text: shown,
            attachments: [],
            status: 'sending',
            sentAt: now,
            // Kept with the message so a failed reply can be queued again exactly as typed.
            extra: { reply: payload },
          },
          { live: false, opensWindow: false },
          now,
        );
        db.prepare('INSERT INTO outbox(message_id, payload, attempts, next_attempt_at) VALUES (?, ?, 0, ?)').run(
          mid,
          JSON.stringify(payload),
          now,
        );
        return mid;
      })();
      deps.publish(changes);
      if (running) void kick();
      return getMessage(db, id)!;
    },
    retry(messageId) {
      const row = db.prepare(`SELECT status, extra, thread_id FROM messages WHERE id = ? AND direction = 'out'`).get(messageId) as
        | { status: string; extra: string | null; thread_id: string }
        | undefined;
      if (!row) throw new ApiError({ code: 'not_found', message: `No reply with id ${messageId}.` });
      const reply = row.extra ? (JSON.parse(row.extra) as { reply?: ReplyPayload }).reply : undefined;
      if (row.status !== 'failed' || !reply) {
        throw new ApiError({ code: 'conflict', message: 'Only a failed reply sent from Lead Inbox can be retried.' });
      }
      db.transaction(() => {
        db.prepare(`UPDATE messages SET status = 'sending', error = NULL WHERE id = ?`).run(messageId);
        db.prepare(
          'INSERT INTO outbox(message_id, payload, attempts, next_attempt_at) VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING',
        ).run(messageId, JSON.stringify(reply), clock.now());
      })();
      deps.publish(new Changes().message(row.thread_id, messageId));
      if (running) void kick();
      return getMessage(db, messageId)!;
    },
    start() {
      running = true;
      void kick();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await draining;
    },
    drain: () => kick(),
  };
}

/**
 * Meta echoed a reply of ours that we still hold as queued: the Send API accepted it but its answer
 * was lost (a timeout, or the app closed mid-send). The echo carries Meta's id, so the queued row
 * becomes that message and leaves the queue instead of being sent a second time. Matched on thread
 * and exact text of the oldest reply still queued; returns its id, or null when none matches.
 */
export function adoptEcho(db: Db, threadId: string, metaId: string, text: string | null): number | null {
  if (!text || messageIdByMetaId(db, metaId)) return null;
  const row = db
    .prepare(
      `SELECT m.id FROM outbox o JOIN messages m ON m.id = o.message_id
        WHERE m.thread_id = ? AND m.status = 'sending' AND m.meta_id IS NULL AND m.text = ?
        ORDER BY m.id LIMIT 1`,
    )
    .get(threadId, text) as { id: number } | undefined;
  if (!row) return null;
  markSent(db, row.id, metaId);
  db.prepare('DELETE FROM outbox WHERE message_id = ?').run(row.id);
  return row.id;
}

