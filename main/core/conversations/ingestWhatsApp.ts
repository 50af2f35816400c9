import type { MessageKind, MessageStatus } from '../../../shared/index';
import type { EntryHandler } from '../ingest/registry';
import type { Clock } from '../ports';
import type { Db } from '../store/db';
import { findContact, resolveContact, type ContactKey } from './contacts';
import { arr, num, obj, optionalArray, requireString, str, type Obj } from './json';
import { linkLeadsByPhone, normalisePhone } from './leadLinks';
import { applyStatus, messageIdByMetaId, setReaction, type StoredAttachment } from './messagesStore';
import { Changes } from './publish';
import { recordMessage } from './record';
import { ensureThread, findThreadOfContact } from './threadsStore';

/**
 * WhatsApp Cloud API (`object: whatsapp_business_account`): every change, every message, every
 * status of an entry (one popular inbox handles only the first of each). Contacts are keyed on
 * the business-scoped user id when present, wa_id as fallback (meta-platform.md §2.5 BSUID).
 */
export function createWhatsAppHandler(opts: { clock: Clock; publish: (c: Changes) => void }): EntryHandler {
  return (entry, ctx) => {
    const wabaId = requireString(entry.id, 'entry.id');
    const changes = new Changes();
    const now = opts.clock.now();
    for (const raw of optionalArray(entry, 'changes')) {
      const change = obj(raw);
      if (!change || change.field !== 'messages') continue;
      const value = obj(change.value);
      if (!value) continue;
      const meta = obj(value.metadata);
      const phoneNumberId = requireString(meta?.phone_number_id, 'value.metadata.phone_number_id');
      const number = { wabaId, phoneNumberId, label: str(meta?.display_phone_number) };
      const profiles = arr(value.contacts).map(obj).filter((c): c is Obj => c !== null);
      for (const m of arr(value.messages)) {
        const msg = obj(m);
        if (msg && !handleMessage(ctx.db, changes, number, msg, profiles, now)) {
          // Keys only: the message's text and the person's name stay out of the log.
          ctx.log.warn('WhatsApp message without a sender id skipped', { keys: Object.keys(msg).join(',') });
        }
      }
      for (const s of arr(value.statuses)) {
        const st = obj(s);
        if (st) handleStatus(ctx.db, changes, st, now);
      }
    }
    ctx.afterCommit(() => opts.publish(changes));
  };
}

interface NumberRef {
  wabaId: string;
  phoneNumberId: string;
  label: string | null;
}

/** Stores one message; false when it names no sender (neither BSUID nor wa_id) and was skipped. */
function handleMessage(db: Db, changes: Changes, n: NumberRef, msg: Obj, profiles: Obj[], now: number): boolean {
  const wamid = requireString(msg.id, 'message.id');
  const waIdRaw = str(msg.from);
  const profile =
    profiles.find((p) => (waIdRaw && str(p.wa_id) === waIdRaw) || (str(msg.from_user_id) && str(p.user_id) === str(msg.from_user_id))) ??
    (profiles.length === 1 ? profiles[0] : undefined);
  const userId = str(msg.from_user_id) ?? str(profile?.user_id);
  const waId = waIdRaw && /^\d+$/.test(waIdRaw) ? waIdRaw : str(profile?.wa_id);
  if (!userId && !waId) return false;
  const phone = normalisePhone(waId);
  const keys: ContactKey[] = [];
  if (userId) keys.push({ kind: 'wa_user', value: userId });
  if (waId) keys.push({ kind: 'wa_id', value: waId });
  if (phone) keys.push({ kind: 'phone', value: phone });
  const known = findContact(db, keys) !== null;
  const contactId = resolveContact(db, keys, { name: str(obj(profile?.profile)?.name), phone }, now);
  if (phone && !known) linkLeadsByPhone(db, contactId, phone, now);
  const threadId =
    findThreadOfContact(db, 'whatsapp', n.phoneNumberId, contactId) ??
    ensureThread(
      db,
      {
        channel: 'whatsapp',
        accountId: n.phoneNumberId,
        participantId: userId ?? waId!,
        assetId: n.wabaId,
        accountLabel: n.label,
        waId,
        contactId,
      },
      now,
    );
  db.prepare('UPDATE threads SET wa_id = coalesce(wa_id, ?), asset_id = coalesce(asset_id, ?) WHERE id = ?').run(
    waId,
    n.wabaId,
    threadId,
  );
  const ts = (num(msg.timestamp) ?? now / 1000) * 1000;
  const sys = obj(msg.system);
  const newWaId = str(sys?.wa_id) ?? str(sys?.new_wa_id);
  if (str(msg.type) === 'system' && newWaId && /^\d+$/.test(newWaId)) {
    // The person changed their number: replies go to the new one, leads with it link to them.
    const newPhone = normalisePhone(newWaId);
    db.prepare(`INSERT INTO contact_keys(kind, scope, value, contact_id) VALUES ('wa_id', '', ?, ?) ON CONFLICT DO UPDATE SET contact_id = excluded.contact_id`).run(newWaId, contactId);
    if (newPhone) {
      db.prepare(`INSERT INTO contact_keys(kind, scope, value, contact_id) VALUES ('phone', '', ?, ?) ON CONFLICT DO UPDATE SET contact_id = excluded.contact_id`).run(newPhone, contactId);
      db.prepare('UPDATE contacts SET phone = ? WHERE id = ?').run(newPhone, contactId);
      linkLeadsByPhone(db, contactId, newPhone, now);
    }
    db.prepare('UPDATE threads SET wa_id = ? WHERE id = ?').run(newWaId, threadId);
  }
  const type = str(msg.type) ?? 'unsupported';

  if (type === 'reaction') {
    const r = obj(msg.reaction);
    const target = str(r?.message_id);
    if (!target) return true;
    setReaction(db, target, 'contact', str(r?.emoji) || null, ts);
    const hit = messageIdByMetaId(db, target);
    if (hit) changes.message(hit.threadId, hit.id);
    return true;
  }
  const body = bodyOf(type, msg);
  recordMessage(
    db,
    changes,
    {
      threadId,
      metaId: wamid,
      direction: 'in',
      kind: body.kind,
      text: body.text,
      attachments: body.attachments,
      status: 'received',
      sentAt: ts,
      replyTo: str(obj(msg.context)?.id),
      extra: msg.referral ? { referral: msg.referral } : undefined,
    },
    // A system notice (number changed) is from WhatsApp, not the person: it opens no window.
    { live: true, opensWindow: body.kind !== 'system' },
    now,
  );
  return true;
}

interface Body {
  kind: MessageKind;
  text: string | null;
  attachments: StoredAttachment[];
}

const mediaTypes: Record<string, StoredAttachment['type']> = {
  image: 'image',
  audio: 'audio',
  video: 'video',
  document: 'file',
  sticker: 'sticker',
};

/** One place that knows every WhatsApp message type and how it reads in the thread. */
function bodyOf(type: string, msg: Obj): Body {
  const part = obj(msg[type]) ?? {};
  const mediaType = mediaTypes[type];
  if (type === 'text') return { kind: 'text', text: str(part.body), attachments: [] };
  if (mediaType) {
    return {
      kind: 'media',
      text: str(part.caption),
      attachments: [
        {
          type: mediaType,
          mediaId: str(part.id),
          mimeType: str(part.mime_type),
          title: str(part.filename),
          caption: str(part.caption),
          detail: type === 'audio' && part.voice === true ? 'Voice message' : null,
        },
      ],
    };
  }
  if (type === 'location') {
    const place = [str(part.name), str(part.address)].filter(Boolean).join(', ');
    return {
      kind: 'location',
      text: place || null,
      attachments: [{ type: 'location', title: place || 'Location', detail: `${num(part.latitude)}, ${num(part.longitude)}` }],
    };
  }
  if (type === 'contacts') {
    const cards = arr(msg.contacts).map(obj).filter((c): c is Obj => c !== null);
    return {
      kind: 'contacts',
      text: null,
      attachments: cards.map((c) => ({
        type: 'contacts' as const,
        title: str(obj(c.name)?.formatted_name) ?? 'Contact',
        detail: arr(c.phones).map((p) => str(obj(p)?.phone)).filter(Boolean).join(', ') || null,
      })),
    };
  }
  if (type === 'button') return { kind: 'button', text: str(part.text) ?? str(part.payload), attachments: [] };
  if (type === 'interactive') {
    const reply = obj(part.button_reply) ?? obj(part.list_reply) ?? obj(part.nfm_reply);
    const desc = str(reply?.description);
    return { kind: 'interactive', text: (str(reply?.title) ?? 'Reply') + (desc ? ` — ${desc}` : ''), attachments: [] };
  }
  if (type === 'order') {
    const items = arr(part.product_items).length;
    return { kind: 'order', text: `Order of ${items} item${items === 1 ? '' : 's'}${str(part.text) ? `: ${str(part.text)}` : ''}`, attachments: [] };
  }
  if (type === 'system') return { kind: 'system', text: str(part.body) ?? 'System message', attachments: [] };
  const err = obj(arr(msg.errors)[0]);
  return {
    kind: 'unsupported',
    text: `This message type is not supported by WhatsApp's API${str(err?.title) ? ` (${str(err?.title)})` : ''}. Open WhatsApp on the phone to see it.`,
    attachments: [],
  };
}

const statusNames: Record<string, MessageStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
};

function handleStatus(db: Db, changes: Changes, st: Obj, now: number): void {
  const wamid = str(st.id);
  const status = statusNames[str(st.status) ?? ''];
  if (!wamid || !status) return;
  const err = obj(arr(st.errors)[0]);
  const error = err ? describeWhatsAppError(err) : null;
  const hit = applyStatus(db, wamid, status, error, (num(st.timestamp) ?? now / 1000) * 1000);
  if (hit) changes.message(hit.threadId, hit.id);
}

function describeWhatsAppError(err: Obj): string {
  const details = str(obj(err.error_data)?.details);
  const text = str(err.message) ?? str(err.title) ?? 'WhatsApp could not deliver this message';
  return `${text}${details && details !== text ? `: ${details}` : ''} (code ${num(err.code) ?? '?'})`;
}
