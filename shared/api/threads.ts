import { z } from 'zod';
import {
  channelSchema,
  conversationSettingsSchema,
  messageSchema,
  templateSchema,
  threadDetailSchema,
  threadSchema,
  unreadCountsSchema,
} from '../domain/threads';
import { method } from './method';

const threadId = z.string().min(1).max(200);
const messageId = z.string().regex(/^\d{1,15}$/, 'Expected a message id from threads.get');
const cursor = z.string().max(100);

/** WhatsApp body text is capped at 4096 characters; Messenger at 2000. We check the stricter per channel in main. */
const replyText = z.string().trim().min(1, 'Type a message first').max(4096);

export const templateChoiceSchema = z.object({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(15),
  /** Values for {{1}}, {{2}}… of the body, in order. */
  bodyParams: z.array(z.string().trim().min(1).max(1024)).max(20).default([]),
  headerParams: z.array(z.string().trim().min(1).max(60)).max(1).default([]),
});
export type TemplateChoice = z.infer<typeof templateChoiceSchema>;

export const threadMethods = {
  /** Newest activity first; `before` is the `nextCursor` of the previous page. */
  'threads.list': method(
    z.object({
      channel: channelSchema.optional(),
      unreadOnly: z.boolean().default(false),
      limit: z.number().int().min(1).max(200).default(50),
      before: cursor.optional(),
    }),
    z.object({ threads: z.array(threadSchema), nextCursor: z.string().nullable() }),
  ),
  /** One thread with its newest `limit` messages (before `before`), window state and the person's leads. */
  'threads.get': method(
    z.object({ threadId, limit: z.number().int().min(1).max(200).default(50), before: cursor.optional() }),
    threadDetailSchema,
  ),
  /** Stores the reply as `sending` and queues it; the answer is that local row. */
  'threads.send': method(
    z.union([
      z.object({ threadId, text: replyText }),
      z.object({ threadId, template: templateChoiceSchema }),
    ]),
    messageSchema,
  ),
  /** Queues a failed reply again. */
  'threads.retry': method(z.object({ messageId }), messageSchema),
  /** The owner opened the thread: unread to 0 and (setting) WhatsApp read receipts. */
  'threads.markRead': method(z.object({ threadId }), z.object({ unreadCount: z.number() })),
  /** Approved templates of the thread's WhatsApp business account. */
  'threads.templates': method(z.object({ threadId }), z.object({ templates: z.array(templateSchema) })),
  /** An attachment's bytes as a data: URL, fetched through the API and cached on disk. */
  'threads.media': method(
    z.object({ messageId, index: z.number().int().min(0).max(50) }),
    z.object({ mimeType: z.string(), size: z.number(), dataUrl: z.string() }),
  ),
  /** The person's threads for the lead detail view. */
  'threads.forLead': method(z.object({ leadId: z.string().min(1).max(64) }), z.object({ threads: z.array(threadSchema) })),
  'threads.unreadCounts': method(z.object({}).default({}), unreadCountsSchema),
  /** The owner confirms this lead is the thread's person (or a suggestion from email / name). */
  'threads.linkLead': method(
    z.object({ threadId, leadId: z.string().min(1).max(64) }),
    z.object({ linked: z.boolean() }),
  ),
  /** Two contacts are one person: every thread and lead of `contactId` moves to `intoContactId`. */
  'contacts.merge': method(
    z.object({ contactId: z.number().int().positive(), intoContactId: z.number().int().positive() }),
    z.object({ contactId: z.number(), threads: z.number() }),
  ),
  /** Messenger / Instagram history from the Conversations API for enabled pages. Resolves when done. */
  'threads.backfill': method(
    z.object({}).default({}),
    z.object({ threads: z.number(), messages: z.number(), errors: z.array(z.string()) }),
  ),
  'threads.settings': method(z.object({}).default({}), conversationSettingsSchema),
  'threads.updateSettings': method(conversationSettingsSchema.partial(), conversationSettingsSchema),
};

export const threadEvents = {
  /** A thread's list row changed (new message, unread, name). */
  'thread.updated': z.object({ threadId: z.string(), thread: threadSchema }),
  /** A message was added or its status / reactions changed. */
  'message.updated': z.object({ threadId: z.string(), message: messageSchema }),
  /** For the app badge and the Threads tab counters. */
  'threads.unreadChanged': unreadCountsSchema,
};
