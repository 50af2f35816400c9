import type { Channel } from '../../../shared/index';
import type { EntryHandler } from '../ingest/registry';
import type { Clock } from '../ports';
import type { Db } from '../store/db';
import { resolveContact } from './contacts';
import { arr, isObj, num, obj, optionalArray, requireString, str, type Obj } from './json';
import { applyStatus, applyWatermark, setReaction, type StoredAttachment } from './messagesStore';
import { Changes } from './publish';
import { adoptEcho } from './outbox';
import { outboundSent, recordMessage } from './record';
import { ensureThread } from './threadsStore';

/**
 * Messenger (`object: page`) and Instagram (`object: instagram`) `messaging[]` events: messages,
 * echoes, deliveries, reads, postbacks, reactions and referrals. Every event of every entry is
 * handled (standby[] too); `changes[]` of a page entry belong to the leadgen handler.
 */
export function createMessagingHandler(opts: {
  channel: 'messenger' | 'instagram';
  clock: Clock;
  publish: (c: Changes) => void;
}): EntryHandler {
  return (entry, ctx) => {
    const events = [...optionalArray(entry, 'messaging'), ...optionalArray(entry, 'standby')];
    // Instagram's dashboard test sends `changes[{field:'messages', value:<event>}]` instead.
    if (opts.channel === 'instagram') {
      for (const ch of optionalArray(entry, 'changes')) {
        const c = obj(ch);
        if (c?.field === 'messages' && isObj(c.value)) events.push(c.value);
      }
    }
    if (events.length === 0) return;
    const ownId = requireString(entry.id, 'entry.id');
    const account = accountFor(ctx.db, opts.channel, ownId);
    const changes = new Changes();
    const now = opts.clock.now();
    for (const raw of events) {
      const ev = obj(raw);
      if (!ev) continue;
      handleEvent(ctx.db, changes, account, ev, now, ctx.log);
    }
    ctx.afterCommit(() => opts.publish(changes));
  };
}

interface Account {
  channel: Channel;
  /** The id messages are sent from: the page (also for Instagram). */
  accountId: string;
  /** The id Meta uses in sender/recipient for us: page id or IG account id. */
  ownId: string;
  assetId: string | null;
}

function accountFor(db: Db, channel: 'messenger' | 'instagram', ownId: string): Account {
  if (channel === 'messenger') return { channel, accountId: ownId, ownId, assetId: null };
  const page = db.prepare('SELECT id FROM pages WHERE instagram_id = ?').get(ownId) as { id: string } | undefined;
  return { channel, accountId: page?.id ?? ownId, ownId, assetId: ownId };
}

function handleEvent(
  db: Db,
  changes: Changes,
  acc: Account,
  ev: Obj,
  now: number,
  log: { warn(m: string, f?: Record<string, unknown>): void },
): void {
  const senderId = str(obj(ev.sender)?.id);
  const recipientId = str(obj(ev.recipient)?.id);
  const ts = num(ev.timestamp) ?? now;
  const message = obj(ev.message);
  const echo = message?.is_echo === true;
  // The person is whoever is not us: the recipient of an echo, the sender of everything else.
  const person = echo ? recipientId : senderId;
  if (!person || person === acc.ownId) {
    log.warn('messaging event without a person id', { keys: Object.keys(ev).join(',') });
    return;
  }
  const threadId = threadFor(db, acc, person, now);

  if (message) {
    const mid = requireString(message.mid, 'message.mid');
    const adopted = echo ? adoptEcho(db, threadId, mid, str(message.text)) : null;
    if (adopted !== null) {
      outboundSent(db, changes, threadId, ts);
      changes.message(threadId, adopted);
      return;
    }
    const attachments = parseAttachments(message.attachments);
    const quick = str(obj(message.quick_reply)?.payload);
    recordMessage(
      db,
      changes,
      {
        threadId,
        metaId: mid,
        direction: echo ? 'out' : 'in',
        kind: attachments.length && !str(message.text) ? 'media' : 'text',
        text: str(message.text),
        attachments,
        status: echo ? 'sent' : 'received',
        sentAt: ts,
        replyTo: str(obj(message.reply_to)?.mid),
        fromElsewhere: echo,
        extra: quick || message.referral ? { quickReply: quick, referral: message.referral ?? null } : undefined,
      },
      { live: !echo, opensWindow: !echo },
      now,
    );
    return;
  }
  const delivery = obj(ev.delivery);
  if (delivery) {
    for (const mid of arr(delivery.mids)) {
      const s = str(mid);
      const hit = s ? applyStatus(db, s, 'delivered', null, ts) : null;
      if (hit) changes.message(hit.threadId, hit.id);
    }
    const wm = num(delivery.watermark);
    if (wm) for (const id of applyWatermark(db, threadId, 'delivered', wm)) changes.message(threadId, id);
    return;
  }
  const read = obj(ev.read);
  if (read) {
    // Messenger sends a watermark; Instagram sends the mid of the last message read.
    const readMid = str(read.mid);
    const upTo = readMid ? (db.prepare('SELECT sent_at FROM messages WHERE meta_id = ?').get(readMid) as { sent_at: number } | undefined)?.sent_at : undefined;
    const wm = num(read.watermark) ?? upTo ?? null;
    if (wm) for (const id of applyWatermark(db, threadId, 'read', wm)) changes.message(threadId, id);
    return;
  }
  const postback = obj(ev.postback);
  if (postback) {
    const title = str(postback.title) ?? str(postback.payload) ?? 'Button';
    recordMessage(
      db,
      changes,
      {
        threadId,
        // Older postbacks carry no mid; sender + time identifies a tap well enough to dedupe replays.
        metaId: str(postback.mid) ?? `postback:${acc.ownId}:${person}:${ts}`,
        direction: 'in',
        kind: 'postback',
        text: title,
        attachments: [],
        status: 'received',
        sentAt: ts,
        extra: { payload: str(postback.payload), referral: postback.referral ?? null },
      },
      { live: true, opensWindow: true },
      now,
    );
    return;
  }
  const reaction = obj(ev.reaction);
  if (reaction) {
    const mid = str(reaction.mid);
    if (!mid) return;
    const emoji = reaction.action === 'unreact' ? null : (str(reaction.emoji) ?? emojiFor(str(reaction.reaction)));
    setReaction(db, mid, 'contact', emoji, ts);
    const row = db.prepare('SELECT id, thread_id FROM messages WHERE meta_id = ?').get(mid) as
      | { id: number; thread_id: string }
      | undefined;
    if (row) changes.message(row.thread_id, row.id);
    return;
  }
  const referral = obj(ev.referral);
  if (referral) {
    const source = str(referral.source) ?? 'link';
    const adId = str(referral.ad_id);
    recordMessage(
      db,
      changes,
      {
        threadId,
        metaId: `referral:${acc.ownId}:${person}:${ts}`,
        direction: 'in',
        kind: 'referral',
        text: adId ? `Came from ad ${adId}${str(referral.ref) ? ` (ref ${str(referral.ref)})` : ''}` : `Came from ${source.toLowerCase()}${str(referral.ref) ? ` (ref ${str(referral.ref)})` : ''}`,
        attachments: [],
        status: 'received',
        sentAt: ts,
        extra: referral,
      },
      { live: false, opensWindow: true },
      now,
    );
    changes.thread(threadId);
    return;
  }
  log.warn('messaging event kind not handled', { keys: Object.keys(ev).join(',') });
}

function threadFor(db: Db, acc: Account, person: string, now: number): string {
  const kind = acc.channel === 'instagram' ? 'igsid' : 'psid';
  const contactId = resolveContact(db, [{ kind, scope: acc.ownId, value: person }], {}, now);
  return ensureThread(
    db,
    { channel: acc.channel, accountId: acc.accountId, participantId: person, assetId: acc.assetId, contactId },
    now,
  );
}

const reactionEmoji: Record<string, string> = {
  like: '👍',
  love: '❤️',
  smile: '😆',
  wow: '😮',
  sad: '😢',
  angry: '😠',
  dislike: '👎',
};

function emojiFor(name: string | null): string {
  return (name && reactionEmoji[name]) || '❤️';
}

/**
 * Messenger attachments. Since 2026-06 stickers come as `type: sticker` with an image copy during
 * the transition (meta-platform.md §2.5): keep the sticker, drop its image twin.
 */
export function parseAttachments(v: unknown): StoredAttachment[] {
  const list = arr(v).map(obj).filter((a): a is Obj => a !== null);
  const stickerIds = new Set(
    list.filter((a) => a.type === 'sticker').map((a) => str(a.sticker_id) ?? str(obj(a.payload)?.sticker_id)),
  );
  const out: StoredAttachment[] = [];
  for (const a of list) {
    const payload = obj(a.payload) ?? {};
    const type = str(a.type) ?? 'other';
    const stickerId = str(payload.sticker_id) ?? str(a.sticker_id);
    if (type === 'image' && stickerId && (stickerIds.has(stickerId) || stickerIds.size > 0)) continue;
    const url = str(payload.url);
    if (type === 'sticker' || (type === 'image' && stickerId)) {
      out.push({ type: 'sticker', url, title: null, detail: stickerId ? `Sticker ${stickerId}` : null });
    } else if (type === 'image' || type === 'video' || type === 'audio' || type === 'file') {
      out.push({ type, url, title: str(payload.title) ?? str(a.name) });
    } else if (type === 'location') {
      const c = obj(payload.coordinates);
      out.push({ type: 'location', title: str(a.title) ?? str(payload.title), detail: c ? `${num(c.lat)}, ${num(c.long)}` : null });
    } else if (type === 'fallback' || type === 'share' || type === 'story_mention' || type === 'ig_reel' || type === 'reel') {
      out.push({ type: 'link', title: str(a.title) ?? str(payload.title) ?? type, detail: str(a.url) ?? url });
    } else {
      out.push({ type: 'other', title: str(a.title) ?? type, url });
    }
  }
  return out;
}
