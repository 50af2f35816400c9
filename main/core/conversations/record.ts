import type { Db } from '../store/db';
import { preview } from './json';
import { insertMessage, type NewMessage, type StoredAttachment } from './messagesStore';
import type { Changes } from './publish';
import { noteMessage } from './threadsStore';
import { recordOutboundContact } from '../speedToLead/firstContact';

export interface RecordOptions {
  /** Count towards unread and notify (live inbound); backfilled history does neither. */
  live: boolean;
  /** The person wrote (message, postback, referral): the reply windows restart. */
  opensWindow: boolean;
}

/** Stores one message and moves its thread forward, once per Meta id however often it arrives. */
export function recordMessage(db: Db, changes: Changes, m: NewMessage, opts: RecordOptions, now: number): number {
  const { id, inserted } = insertMessage(db, m, now);
  if (!inserted) return id;
  const inbound = m.direction === 'in';
  noteMessage(db, m.threadId, {
    sentAt: m.sentAt,
    preview: (inbound ? '' : 'You: ') + preview(m.text, describeAttachments(m.attachments)),
    direction: m.direction,
    unread: inbound && opts.live,
    opensWindow: inbound && opts.opensWindow,
  });
  if (m.direction === 'out' && m.status !== 'sending' && m.status !== 'failed') outboundSent(db, changes, m.threadId, m.sentAt);
  changes.message(m.threadId, id);
  if (inbound && opts.live) changes.newInbound(m.threadId);
  return id;
}

/**
 * A reply left for the person (an echo, a backfilled reply, or our outbox's reply Meta accepted):
 * the one place conversations tell speed to lead about a contact, so the lead list updates live.
 */
export function outboundSent(db: Db, changes: Changes, threadId: string, at: number): void {
  for (const leadId of recordOutboundContact(db, threadId, at)) changes.leads.add(leadId);
}

export function describeAttachments(a: StoredAttachment[]): string {
  const first = a[0];
  if (!first) return 'Message';
  const names: Record<StoredAttachment['type'], string> = {
    image: 'Photo',
    audio: 'Voice message',
    video: 'Video',
    file: 'File',
    sticker: 'Sticker',
    location: 'Location',
    contacts: 'Contact card',
    link: 'Link',
    other: 'Attachment',
  };
  return first.title && first.type !== 'image' ? `${names[first.type]}: ${first.title}` : names[first.type];
}
