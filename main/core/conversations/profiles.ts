import type { GraphClient } from '../graph/client';
import type { Logger, TokenStore } from '../ports';
import type { Db } from '../store/db';
import { str } from './json';

/**
 * Messenger and Instagram webhooks carry ids, not names: the person's name is fetched once from
 * the User Profile API (`GET /{psid}`) with the page token, after the message is stored. A failed
 * lookup is not retried in this session; the thread keeps its "Messenger user 1234" title.
 */
export function createProfileFetcher(deps: { db: Db; graph: GraphClient; tokens: TokenStore; logger: Logger; onNamed(threadId: string): void }) {
  const tried = new Set<number>();
  const queue: string[] = [];
  let running = false;
  /** Threads whose lookup is queued or in flight, resolved when it ends either way. */
  const waiting = new Map<string, { done: Promise<void>; resolve(): void }>();

  async function run(): Promise<void> {
    running = true;
    try {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        await fetchOne(id);
        waiting.get(id)?.resolve();
        waiting.delete(id);
      }
    } finally {
      running = false;
    }
  }

  async function fetchOne(threadId: string): Promise<void> {
    const t = deps.db
      .prepare(
        `SELECT t.channel, t.account_id, t.participant_id, t.contact_id, c.name FROM threads t JOIN contacts c ON c.id = t.contact_id WHERE t.id = ?`,
      )
      .get(threadId) as { channel: string; account_id: string; participant_id: string; contact_id: number; name: string | null } | undefined;
    if (!t || t.name) return;
    const token = await deps.tokens.get(`page:${t.account_id}`);
    if (!token) return;
    const ig = t.channel === 'instagram';
    try {
      const p = await deps.graph.get<Record<string, unknown>>(t.participant_id, token, {
        fields: ig ? 'name,username' : 'first_name,last_name',
      });
      const name = ig
        ? (str(p.name) ?? str(p.username))
        : [str(p.first_name), str(p.last_name)].filter(Boolean).join(' ') || null;
      if (!name) return;
      deps.db.prepare('UPDATE contacts SET name = coalesce(name, ?) WHERE id = ?').run(name, t.contact_id);
      deps.onNamed(threadId);
    } catch (e) {
      deps.logger.warn('profile lookup failed', { threadId, error: String(e) });
    }
  }

  return {
    /** Queues threads whose person has no name yet (each contact at most once per session). */
    check(threadIds: Iterable<string>): void {
      for (const id of threadIds) {
        if (id.startsWith('whatsapp:')) continue;
        const row = deps.db
          .prepare('SELECT c.id, c.name FROM threads t JOIN contacts c ON c.id = t.contact_id WHERE t.id = ?')
          .get(id) as { id: number; name: string | null } | undefined;
        if (!row || row.name || tried.has(row.id)) continue;
        tried.add(row.id);
        queue.push(id);
        let resolve = () => {};
        const done = new Promise<void>((r) => (resolve = r));
        waiting.set(id, { done, resolve });
      }
      if (queue.length && !running) void run();
    },
    /** The lookup still running for this thread, if any (a notification waits for the name). */
    pending(threadId: string): Promise<void> | undefined {
      return waiting.get(threadId)?.done;
    },
    /** Resolves when the queue is empty (tests, shutdown). */
    async idle(): Promise<void> {
      while (running || queue.length) await new Promise((r) => setTimeout(r, 10));
    },
  };
}
