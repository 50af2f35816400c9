import { kvGet, kvSet } from '../store/kv';
import { resolveContact } from './contacts';
import { arr, obj, parseMetaTime, str, type Obj } from './json';
import { parseAttachments } from './ingestMessenger';
import type { StoredAttachment } from './messagesStore';
import type { OutboxDeps } from './outbox';
import { Changes } from './publish';
import { recordMessage } from './record';
import { ensureThread } from './threadsStore';

/** The same core services the reply outbox uses, without its settings, and the relay's progress. */
export type BackfillDeps = Pick<OutboxDeps, 'db' | 'graph' | 'tokens' | 'clock' | 'logger' | 'publish'> & {
  /** Until when the relay has delivered every webhook it accepted; null if it never has. */
  relayDeliveredUntil?: () => number | null;
};

export interface BackfillResult {
  threads: number;
  messages: number;
  errors: string[];
}

const fields = 'id,updated_time,participants,messages.limit(20){id,created_time,from,to,message,attachments}';

/**
 * Messenger and Instagram history from the Conversations API for every enabled page: newest
 * conversations first, paged with cursors, stopping at the last run's high-water mark. Meta returns
 * details for only the 20 newest messages of a conversation (meta-platform.md §4). Stored history
 * is marked read and raises no notifications. WhatsApp has no such API.
 */
export async function backfillConversations(deps: BackfillDeps): Promise<BackfillResult> {
  const result: BackfillResult = { threads: 0, messages: 0, errors: [] };
  const pages = deps.db.prepare('SELECT id, name, instagram_id, subscribed_at FROM pages WHERE enabled = 1').all() as {
    id: string;
    name: string;
    instagram_id: string | null;
    subscribed_at: number | null;
  }[];
  for (const page of pages) {
    const token = await deps.tokens.get(`page:${page.id}`);
    if (!token) {
      result.errors.push(`${page.name}: not connected`);
      continue;
    }
    const platforms: ('messenger' | 'instagram')[] = page.instagram_id ? ['messenger', 'instagram'] : ['messenger'];
    for (const platform of platforms) {
      try {
        await backfillOne(deps, page, platform === 'instagram' ? page.instagram_id! : page.id, platform, token, result);
      } catch (e) {
        deps.logger.warn('conversation backfill failed', { pageId: page.id, platform, error: String(e) });
        result.errors.push(`${page.name} (${platform}): ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return result;
}

/** How long a message's webhook may still be on its way (Meta, the relay, a reconnect's replay). */
const webhookGraceMs = 2 * 60_000;

/**
 * From when on a message is the webhook's to deliver as news (unread, notified): stored by the
 * backfill it would pass for read history, and its webhook would then be a duplicate. A page's
 * first run (no cursor yet) leaves every message since the page was subscribed; later runs leave
 * the last couple of minutes, whose webhooks may still be on their way, and everything since the
 * relay last had nothing left to replay: a run at start-up, after a night away, reads the
 * Conversations API before the relay has replayed the night's messages. Never later than the run's
 * start. A message left here whose webhook was lost is found by a later run, since the cursor stays
 * before it. Meta's times have whole seconds: a bound's own second counts as "from then on".
 */
function webhooksDeliverFrom(
  now: number,
  firstRun: boolean,
  subscribedAt: number | null,
  relayDeliveredUntil: number | null,
): number {
  const second = (ms: number) => Math.floor(ms / 1000) * 1000;
  let from = firstRun ? (subscribedAt ?? now) : now - webhookGraceMs;
  if (relayDeliveredUntil !== null) from = Math.min(from, relayDeliveredUntil - webhookGraceMs);
  return Math.min(second(now), second(from));
}

async function backfillOne(
  deps: BackfillDeps,
  target: { id: string; subscribed_at: number | null },
  ownId: string,
  platform: 'messenger' | 'instagram',
  token: string,
  result: BackfillResult,
): Promise<void> {
  const pageId = target.id;
  const cursorKey = `conversations.backfill.${pageId}.${platform}`;
  const cursor = kvGet(deps.db, cursorKey);
  const since = Number(cursor ?? 0);
  const historyBefore = webhooksDeliverFrom(
    deps.clock.now(),
    cursor === null,
    target.subscribed_at,
    deps.relayDeliveredUntil?.() ?? null,
  );
  let newest = since;
  outer: for await (const page of deps.graph.pages<Obj>(`${pageId}/conversations`, token, { platform, fields, limit: 25 })) {
    const changes = new Changes();
    for (const conv of page) {
      const updated = parseMetaTime(conv.updated_time) ?? 0;
      if (updated <= since) break outer; // newest first: everything after this was stored last time
      // Never past what was left to the webhooks: if a skipped message's webhook is lost, a later run finds it.
      newest = Math.max(newest, Math.min(updated, historyBefore - 1));
      storeConversation(deps, changes, pageId, ownId, platform, conv, historyBefore, result);
    }
    deps.publish(changes);
  }
  if (newest > since) kvSet(deps.db, cursorKey, String(newest));
}

function storeConversation(
  deps: BackfillDeps,
  changes: Changes,
  pageId: string,
  ownId: string,
  platform: 'messenger' | 'instagram',
  conv: Obj,
  historyBefore: number,
  result: BackfillResult,
): void {
  const people = arr(obj(conv.participants)?.data).map(obj).filter((p): p is Obj => p !== null);
  const person = people.find((p) => str(p.id) !== ownId && str(p.id) !== pageId);
  const personId = str(person?.id);
  if (!personId) return;
  const now = deps.clock.now();
  const { db } = deps;
  db.transaction(() => {
    const contactId = resolveContact(
      db,
      [{ kind: platform === 'instagram' ? 'igsid' : 'psid', scope: ownId, value: personId }],
      { name: str(person?.name) ?? str(person?.username), email: str(person?.email) },
      now,
    );
    const threadId = ensureThread(
      db,
      { channel: platform, accountId: pageId, participantId: personId, assetId: platform === 'instagram' ? ownId : null, contactId },
      now,
    );
    result.threads += 1;
    // Meta lists newest first; store oldest first so same-second messages keep their order.
    for (const raw of [...arr(obj(conv.messages)?.data)].reverse()) {
      const m = obj(raw);
      const mid = str(m?.id);
      if (!m || !mid) continue;
      const metaTime = parseMetaTime(m.created_time);
      if (metaTime != null && metaTime >= historyBefore) continue;
      const sentAt = metaTime ?? now;
      const fromId = str(obj(m.from)?.id);
      const out = fromId === ownId || fromId === pageId;
      const before = changes.messages.size;
      recordMessage(
        db,
        changes,
        {
          threadId,
          metaId: mid,
          direction: out ? 'out' : 'in',
          kind: str(m.message) ? 'text' : 'media',
          text: str(m.message) || null,
          attachments: conversationAttachments(m.attachments),
          status: out ? 'sent' : 'received',
          sentAt,
          fromElsewhere: out,
        },
        { live: false, opensWindow: true },
        now,
      );
      if (changes.messages.size > before) result.messages += 1;
    }
  })();
}

/** The Conversations API's attachment shape differs from the webhook's: image_data, video_data, file_url. */
function conversationAttachments(v: unknown): StoredAttachment[] {
  const list = arr(obj(v)?.data).map(obj).filter((a): a is Obj => a !== null);
  if (list.length === 0) return parseAttachments(v);
  return list.map((a) => {
    const mime = str(a.mime_type);
    const image = obj(a.image_data);
    const video = obj(a.video_data);
    const url = str(image?.url) ?? str(video?.url) ?? str(a.file_url);
    const type: StoredAttachment['type'] = image
      ? 'image'
      : video
        ? 'video'
        : mime?.startsWith('audio/')
          ? 'audio'
          : 'file';
    return { type, url, mimeType: mime, title: str(a.name) };
  });
}
