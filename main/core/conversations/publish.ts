import type { EventBus } from '../events';
import type { Logger, Notifier } from '../ports';
import type { Db } from '../store/db';
import { getLeadRow } from '../store/leads';
import { getMessage } from './messagesStore';
import { getThread, unreadCounts } from './threadsStore';

/** What one transaction changed; published to the UI and the notifier only after it commits. */
export class Changes {
  readonly threads = new Set<string>();
  readonly messages = new Set<number>();
  /** New inbound messages per thread: one notification per thread, however many arrived. */
  readonly inbound = new Map<string, number>();
  /** Leads whose first contact an outbound message just set (speed to lead shows it live). */
  readonly leads = new Set<string>();
  unread = false;

  thread(id: string): this {
    this.threads.add(id);
    return this;
  }

  message(threadId: string, id: number): this {
    this.threads.add(threadId);
    this.messages.add(id);
    return this;
  }

  newInbound(threadId: string): void {
    this.inbound.set(threadId, (this.inbound.get(threadId) ?? 0) + 1);
    this.unread = true;
  }

  get empty(): boolean {
    return this.threads.size === 0 && this.messages.size === 0 && this.inbound.size === 0 && this.leads.size === 0 && !this.unread;
  }
}

export interface NotificationPrefs {
  enabled: boolean;
  previews: boolean;
}

export interface PublisherDeps {
  db: Db;
  events: EventBus;
  notifier: Notifier;
  logger: Logger;
  prefs: () => NotificationPrefs;
}

const channelLabel = { messenger: 'Messenger', instagram: 'Instagram', whatsapp: 'WhatsApp' } as const;

export function createPublisher(deps: PublisherDeps): (c: Changes) => void {
  return (c) => {
    if (c.empty) return;
    const { db, events } = deps;
    for (const id of c.messages) {
      const m = getMessage(db, id);
      if (m) events.emit('message.updated', { threadId: m.threadId, message: m });
    }
    for (const id of c.threads) {
      const t = getThread(db, id);
      if (t) events.emit('thread.updated', { threadId: id, thread: t });
    }
    if (c.unread) events.emit('threads.unreadChanged', unreadCounts(db));
    for (const id of c.leads) {
      const lead = getLeadRow(db, id);
      if (lead) events.emit('lead.updated', { lead });
    }
    const prefs = deps.prefs();
    if (!prefs.enabled) return;
    for (const [threadId, count] of c.inbound) {
      const t = getThread(db, threadId);
      if (!t) continue;
      const body = !prefs.previews
        ? count > 1
          ? `${count} new messages`
          : 'New message'
        : count > 1
          ? `${count} new messages · ${t.lastMessagePreview ?? ''}`
          : (t.lastMessagePreview ?? 'New message');
      // Tag = thread id: the OS replaces the previous notification of this thread instead of stacking.
      const n = { tag: `thread:${threadId}`, title: `${t.title} · ${channelLabel[t.channel]}`, body, route: `thread/${threadId}` };
      try {
        deps.notifier.notify(n);
      } catch (e) {
        deps.logger.warn('notification failed', { error: String(e) });
      }
      events.emit('notification.requested', n);
    }
  };
}
