import { z } from 'zod';

/** Where a conversation happens. Instagram Direct uses the page's token and the Messenger shapes. */
export const channelSchema = z.enum(['messenger', 'instagram', 'whatsapp']);
export type Channel = z.infer<typeof channelSchema>;

/**
 * received: inbound. sending → sent → delivered → read for our replies; failed carries Meta's error.
 * Statuses only move forward (a late `delivered` never undoes `read`).
 */
export const messageStatusSchema = z.enum(['received', 'sending', 'sent', 'delivered', 'read', 'failed']);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const attachmentTypeSchema = z.enum([
  'image',
  'audio',
  'video',
  'file',
  'sticker',
  'location',
  'contacts',
  'link',
  'other',
]);
export type AttachmentType = z.infer<typeof attachmentTypeSchema>;

/** An attachment as the renderer sees it: never a remote URL (bytes come through threads.media). */
export const attachmentSchema = z.object({
  type: attachmentTypeSchema,
  /** File name, location name, shared contact's name… whatever labels it for people. */
  title: z.string().nullable(),
  mimeType: z.string().nullable(),
  caption: z.string().nullable(),
  /** True when threads.media can fetch the bytes. */
  hasMedia: z.boolean(),
  /** Extra text to show: an address, "52.52, 13.40", a shared contact's phones. */
  detail: z.string().nullable(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const reactionSchema = z.object({
  by: z.enum(['contact', 'business']),
  emoji: z.string(),
});

/**
 * What a message is: `text` and the attachment kinds, plus Messenger's postback (a button tap),
 * referral (came from an ad / link), WhatsApp's button / interactive replies, unsupported, template.
 */
export const messageKindSchema = z.enum([
  'text',
  'media',
  'postback',
  'referral',
  'button',
  'interactive',
  'location',
  'contacts',
  'template',
  'order',
  'system',
  'unsupported',
]);
export type MessageKind = z.infer<typeof messageKindSchema>;

export const messageSchema = z.object({
  /** Local id (stable across sending → sent); use it for retry and media. */
  id: z.string(),
  threadId: z.string(),
  /** Meta's mid / wamid once known. */
  metaId: z.string().nullable(),
  direction: z.enum(['in', 'out']),
  kind: messageKindSchema,
  text: z.string().nullable(),
  attachments: z.array(attachmentSchema),
  status: messageStatusSchema,
  /** Meta's error, in words the owner can act on, when status is failed. */
  error: z.string().nullable(),
  /** Unix ms, Meta's timestamp (local clock while still sending). */
  sentAt: z.number(),
  replyToMetaId: z.string().nullable(),
  reactions: z.array(reactionSchema),
  /** Sent from outside Lead Inbox (Page inbox, phone): an echo. */
  fromElsewhere: z.boolean(),
});
export type Message = z.infer<typeof messageSchema>;

export const threadSchema = z.object({
  id: z.string(),
  channel: channelSchema,
  /** Page id (Messenger, Instagram) or phone number id (WhatsApp). */
  accountId: z.string(),
  accountName: z.string().nullable(),
  contactId: z.number(),
  /** Best name we have: profile name, WhatsApp profile name, or the handle. */
  title: z.string(),
  /** Phone (WhatsApp) or PSID / IGSID, so two people with one name can be told apart. */
  handle: z.string().nullable(),
  lastMessageAt: z.number().nullable(),
  lastMessagePreview: z.string().nullable(),
  lastDirection: z.enum(['in', 'out']).nullable(),
  unreadCount: z.number(),
  /** Unix ms of the person's last message: the reply windows run from here. */
  lastInboundAt: z.number().nullable(),
});
export type Thread = z.infer<typeof threadSchema>;

/**
 * Can the owner reply now, and how. open = free text; tag = Messenger HUMAN_AGENT tag (7 days);
 * template = WhatsApp outside 24 h, approved templates only; closed = nothing goes through.
 */
export const replyWindowSchema = z.object({
  state: z.enum(['open', 'tag', 'template', 'closed']),
  /** Unix ms when the current state ends (open → tag/template/closed); null when it does not. */
  expiresAt: z.number().nullable(),
  /** Why free text is not allowed, in the owner's words; null when it is. */
  reason: z.string().nullable(),
});
export type ReplyWindow = z.infer<typeof replyWindowSchema>;

export const linkedLeadSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  status: z.string(),
  createdTime: z.number(),
  /** linked = same person (phone equal or confirmed); suggested = email or name match to confirm. */
  link: z.enum(['linked', 'suggested']),
  reason: z.enum(['phone', 'email', 'name', 'owner']),
});
export type LinkedLead = z.infer<typeof linkedLeadSchema>;

export const threadDetailSchema = z.object({
  thread: threadSchema,
  /** Oldest first, the newest `limit` before the cursor. */
  messages: z.array(messageSchema),
  /** Pass as `before` to load older messages; null when there are none. */
  olderCursor: z.string().nullable(),
  window: replyWindowSchema,
  leads: z.array(linkedLeadSchema),
  /** Threads of other contacts with the same name: maybe the same person on another channel (owner merges). */
  samePerson: z.array(threadSchema),
  /** Said in the UI above the first message, e.g. WhatsApp's lack of a history API. */
  historyNote: z.string().nullable(),
});
export type ThreadDetail = z.infer<typeof threadDetailSchema>;

/** An approved WhatsApp template with the text the owner fills in. */
export const templateSchema = z.object({
  name: z.string(),
  language: z.string(),
  category: z.string(),
  headerText: z.string().nullable(),
  headerParams: z.number(),
  bodyText: z.string(),
  bodyParams: z.number(),
});
export type Template = z.infer<typeof templateSchema>;

export const unreadCountsSchema = z.object({
  total: z.number(),
  messenger: z.number(),
  instagram: z.number(),
  whatsapp: z.number(),
  /** Threads with at least one unread message (the Home tile). */
  threads: z.number(),
});
export type UnreadCounts = z.infer<typeof unreadCountsSchema>;

export const conversationSettingsSchema = z.object({
  /** Send WhatsApp read receipts when the owner opens a thread. */
  markReadOnOpen: z.boolean(),
  /** Use Messenger's HUMAN_AGENT tag between 24 h and 7 days (the page needs Meta's approval). */
  humanAgentTag: z.boolean(),
});
export type ConversationSettings = z.infer<typeof conversationSettingsSchema>;
