import { ApiError, type Template } from '../../../shared/index';
import type { threadMethods } from '../../../shared/api/threads';
import type { Handlers } from '../api/dispatch';
import type { GraphClient } from '../graph/client';
import type { Clock, Logger, TokenStore } from '../ports';
import type { Db } from '../store/db';
import { mergeContacts } from './contacts';
import { leadsForContact, linkLead } from './leadLinks';
import type { MediaCache } from './media';
import { freeTextRefusedSince, messagePage } from './messagesStore';
import type { Outbox } from './outbox';
import { Changes } from './publish';
import { fetchTemplates, markWhatsAppRead, renderTemplate, tokenFor } from './sender';
import { readConversationSettings, updateConversationSettings } from './settings';
import { getThreadRecord, listThreads, sameNameThreads, threadsOfContact, toThread, unreadCounts, type ThreadRecord } from './threadsStore';
import { replyWindow } from './window';

export type ThreadHandlers = { [M in keyof typeof threadMethods]: Handlers[M] };

export interface HandlerDeps {
  db: Db;
  graph: GraphClient;
  tokens: TokenStore;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  media: MediaCache;
  publish: (c: Changes) => void;
  /** Work that runs on after a handler answered (read receipts); index.ts waits for it in settled(). */
  track: (work: Promise<unknown>) => void;
}

const templateTtlMs = 5 * 60_000;

/** Every threads.* method but backfill, which index.ts owns with its one-run-at-a-time guard. */
export function createThreadHandlers(deps: HandlerDeps): Omit<ThreadHandlers, 'threads.backfill'> {
  const { db, clock } = deps;
  const templateCache = new Map<string, { at: number; templates: Template[] }>();

  const thread = (id: string): ThreadRecord => {
    const t = getThreadRecord(db, id);
    if (!t) throw new ApiError({ code: 'not_found', message: `No conversation with id ${id}.` });
    return t;
  };

  const windowOf = (t: ThreadRecord) =>
    replyWindow(t.channel, t.last_inbound_at, clock.now(), {
      humanAgentTag: readConversationSettings(db).humanAgentTag,
      metaRefusedFreeText: t.channel === 'whatsapp' && freeTextRefusedSince(db, t.id, t.last_inbound_at),
    });

  async function templatesOf(t: ThreadRecord): Promise<Template[]> {
    if (t.channel !== 'whatsapp') throw new ApiError({ code: 'invalid_input', message: 'Templates are for WhatsApp conversations.' });
    if (!t.asset_id) throw new ApiError({ code: 'not_found', message: 'The WhatsApp business account of this number is unknown.' });
    const cached = templateCache.get(t.asset_id);
    if (cached && clock.now() - cached.at < templateTtlMs) return cached.templates;
    const token = await tokenFor(deps.tokens, t).catch((e: Error) => {
      throw new ApiError({ code: 'reauth_required', message: e.message });
    });
    const templates = await fetchTemplates(deps.graph, token, t.asset_id);
    templateCache.set(t.asset_id, { at: clock.now(), templates });
    return templates;
  }

  return {
    'threads.list': (q) => listThreads(db, q),
    'threads.get': ({ threadId, limit, before }) => {
      const t = thread(threadId);
      const page = messagePage(db, threadId, limit, before);
      return {
        thread: toThread(t),
        ...page,
        window: windowOf(t),
        leads: leadsForContact(db, t.contact_id),
        samePerson: sameNameThreads(db, t.contact_id),
        // Said once, above the first message: WhatsApp cannot give us anything older.
        historyNote:
          t.channel === 'whatsapp' && !page.olderCursor
            ? 'WhatsApp has no message history API: this conversation starts when the number was connected to Lead Inbox.'
            : null,
      };
    },
    'threads.send': async (input) => {
      const t = thread(input.threadId);
      const window = windowOf(t);
      if ('text' in input) {
        if (window.state !== 'open' && window.state !== 'tag') {
          throw new ApiError({ code: 'not_allowed', message: window.reason ?? 'Replies are not allowed right now.' });
        }
        if (t.channel !== 'whatsapp' && input.text.length > 2000) {
          throw new ApiError({ code: 'invalid_input', message: 'Messenger and Instagram replies are limited to 2000 characters.' });
        }
        return deps.outbox.enqueue(t.id, { text: input.text }, input.text);
      }
      const templates = await templatesOf(t);
      const tpl = templates.find((x) => x.name === input.template.name && x.language === input.template.language) ?? null;
      if (!tpl) throw new ApiError({ code: 'not_found', message: `No approved template ${input.template.name} (${input.template.language}).` });
      if (tpl.bodyParams !== input.template.bodyParams.length || tpl.headerParams !== input.template.headerParams.length) {
        throw new ApiError({
          code: 'invalid_input',
          message: `Template ${tpl.name} needs ${tpl.bodyParams} body and ${tpl.headerParams} header value(s).`,
        });
      }
      return deps.outbox.enqueue(t.id, { template: input.template }, renderTemplate(tpl, input.template));
    },
    'threads.retry': ({ messageId }) => {
      // A free-text reply is only retried while the window allows free text (a template is the way
      // on after 24 h): Meta would refuse it again, and the owner would see the same error twice.
      const row = db.prepare(`SELECT thread_id, extra FROM messages WHERE id = ? AND direction = 'out'`).get(Number(messageId)) as
        | { thread_id: string; extra: string | null }
        | undefined;
      const isText = row?.extra ? 'text' in ((JSON.parse(row.extra) as { reply?: object }).reply ?? {}) : false;
      if (row && isText) {
        const window = windowOf(thread(row.thread_id));
        if (window.state !== 'open' && window.state !== 'tag') {
          throw new ApiError({ code: 'not_allowed', message: window.reason ?? 'Replies are not allowed right now.' });
        }
      }
      return deps.outbox.retry(Number(messageId));
    },
    'threads.markRead': ({ threadId }) => {
      const t = thread(threadId);
      db.prepare('UPDATE threads SET unread_count = 0 WHERE id = ?').run(threadId);
      const changes = new Changes().thread(threadId);
      changes.unread = true;
      deps.publish(changes);
      if (t.channel === 'whatsapp' && t.unread_count > 0 && readConversationSettings(db).markReadOnOpen) {
        const last = db
          .prepare(`SELECT meta_id FROM messages WHERE thread_id = ? AND direction = 'in' ORDER BY sent_at DESC, id DESC LIMIT 1`)
          .get(threadId) as { meta_id: string } | undefined;
        // Read receipts are a courtesy: a failure is logged, never shown as an error of opening the thread.
        if (last) {
          deps.track(
            tokenFor(deps.tokens, t)
              .then((token) => markWhatsAppRead(deps.graph, token, t.account_id, last.meta_id))
              .catch((e: unknown) => deps.logger.warn('WhatsApp read receipt failed', { threadId, error: String(e) })),
          );
        }
      }
      return { unreadCount: 0 };
    },
    'threads.templates': async ({ threadId }) => ({ templates: await templatesOf(thread(threadId)) }),
    'threads.media': async ({ messageId, index }) => {
      const m = await deps.media.get(Number(messageId), index);
      return { mimeType: m.mimeType, size: m.bytes.length, dataUrl: `data:${m.mimeType};base64,${m.bytes.toString('base64')}` };
    },
    'threads.forLead': ({ leadId }) => {
      const row = db.prepare('SELECT contact_id FROM contact_leads WHERE lead_id = ?').get(leadId) as
        | { contact_id: number }
        | undefined;
      return { threads: row ? threadsOfContact(db, row.contact_id) : [] };
    },
    'threads.unreadCounts': () => unreadCounts(db),
    'threads.linkLead': ({ threadId, leadId }) => {
      const t = thread(threadId);
      if (!db.prepare('SELECT 1 FROM leads WHERE id = ?').get(leadId)) {
        throw new ApiError({ code: 'not_found', message: `No lead with id ${leadId}.` });
      }
      linkLead(db, t.contact_id, leadId, 'owner', clock.now());
      deps.publish(new Changes().thread(threadId));
      return { linked: true };
    },
    'contacts.merge': ({ contactId, intoContactId }) => {
      if (contactId === intoContactId) throw new ApiError({ code: 'invalid_input', message: 'A contact cannot be merged into itself.' });
      const moved = mergeContacts(db, contactId, intoContactId);
      if (moved < 0) throw new ApiError({ code: 'not_found', message: 'One of the contacts does not exist.' });
      const changes = new Changes();
      for (const t of threadsOfContact(db, intoContactId)) changes.thread(t.id);
      deps.publish(changes);
      return { contactId: intoContactId, threads: moved };
    },
    'threads.settings': () => readConversationSettings(db),
    'threads.updateSettings': (patch) => updateConversationSettings(db, patch),
  };
}
