import { messengerLines } from '../names';
import { locales } from '../names';
import { makePerson } from '../people';
import type { SimConversation, SimMessage, SimPerson } from '../model';
import { messagingEntry } from '../payloads';
import { SwitchesControl } from './switches';

export interface SentRecord {
  channel: 'messenger' | 'instagram' | 'whatsapp';
  /** Page id (Messenger/IG) or phone number id (WhatsApp). */
  from: string;
  /** PSID / IGSID / wa_id. */
  to: string;
  id: string;
  at: number;
  body: unknown;
  token: string;
}

export interface InboundInput {
  pageId: string;
  /** Existing PSID/IGSID; a new person is created when absent. */
  psid?: string;
  platform?: 'messenger' | 'instagram';
  text?: string;
  attachments?: { type: string; url: string }[];
  quickReplyPayload?: string;
  replyToMid?: string;
  /** Default true: send the messaging webhook. */
  webhook?: boolean;
}

/** Messenger and Instagram messaging: people, threads, inbound events and their webhooks. */
export class MessagingControl extends SwitchesControl {
  readonly sentRecords: SentRecord[] = [];

  /** Messages the app sent through the Send API / Cloud API, oldest first. */
  sent(): SentRecord[] {
    return this.sentRecords;
  }

  createPerson(
    pageId: string,
    platform: 'messenger' | 'instagram' = 'messenger',
    name?: { first: string; last: string },
  ): SimPerson {
    const page = this.state.pages.get(pageId);
    if (!page) throw new Error(`unknown page ${pageId}`);
    if (platform === 'instagram' && !page.igAccount)
      throw new Error(`page ${pageId} has no Instagram account`);
    const p = makePerson(this.state.rng, this.state.rng.pick(locales));
    const person: SimPerson = {
      id: this.state.newId(platform === 'instagram' ? 'igsid' : 'psid'),
      pageId,
      platform,
      firstName: name?.first ?? p.firstName,
      lastName: name?.last ?? p.lastName,
      username:
        platform === 'instagram' ? p.email.split('@')[0]!.replace(/[^a-z0-9_.]/g, '') : null,
      conversationId: '',
      lastInboundAt: null,
    };
    const conv: SimConversation = {
      id:
        platform === 'instagram'
          ? 'aWdfZAG06' + this.state.rng.chars(40)
          : 't_' + this.state.newId('conversation'),
      pageId,
      platform,
      personId: person.id,
      messages: [],
      updatedTime: 0,
    };
    person.conversationId = conv.id;
    this.state.persons.set(person.id, person);
    this.state.conversations.set(conv.id, conv);
    return person;
  }

  /** Appends a message to a thread (no webhook). */
  addMessage(
    person: SimPerson,
    fromPage: boolean,
    text: string,
    atMs = this.state.nowMs(),
    attachments: SimMessage['attachments'] = [],
  ): SimMessage {
    const conv = this.state.conversations.get(person.conversationId)!;
    const msg: SimMessage = {
      id:
        (person.platform === 'instagram' ? 'aWdfZAG1faXRlbToxOklH' : 'm_') +
        this.state.rng.chars(
          44,
          'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
        ),
      conversationId: conv.id,
      fromPage,
      text,
      attachments,
      createdTime: atMs,
    };
    conv.messages.push(msg);
    conv.updatedTime = Math.max(conv.updatedTime, atMs);
    this.state.messages.set(msg.id, msg);
    if (!fromPage) person.lastInboundAt = Math.max(person.lastInboundAt ?? 0, atMs);
    return msg;
  }

  /** A person writes to the page (or its Instagram account); sends the messages webhook. */
  inboundMessage(input: InboundInput): { psid: string; mid: string; conversationId: string } {
    const person = this.personFor(input.pageId, input.psid, input.platform);
    const text = input.text ?? this.state.rng.pick(messengerLines.inbound);
    const msg = this.addMessage(person, false, text, this.state.nowMs(), input.attachments ?? []);
    const message: Record<string, unknown> = { mid: msg.id, text };
    if (input.attachments?.length)
      message.attachments = input.attachments.map((a) => ({
        type: a.type,
        payload: { url: a.url },
      }));
    if (input.quickReplyPayload) message.quick_reply = { payload: input.quickReplyPayload };
    if (input.replyToMid) message.reply_to = { mid: input.replyToMid };
    if (input.webhook ?? true)
      this.sendMessaging(person, 'messages', {
        sender: { id: person.id },
        recipient: { id: this.accountId(person) },
        timestamp: msg.createdTime,
        message,
      });
    return { psid: person.id, mid: msg.id, conversationId: person.conversationId };
  }

  /** The page replied from another tool (Business Suite): message_echoes webhook. */
  echoMessage(input: { pageId: string; psid: string; text?: string; appId?: string }): {
    mid: string;
  } {
    const person = this.personFor(input.pageId, input.psid);
    const msg = this.addMessage(
      person,
      true,
      input.text ?? this.state.rng.pick(messengerLines.outbound),
    );
    this.sendEcho(person, msg, input.appId ?? '263902037430900');
    return { mid: msg.id };
  }

  sendEcho(person: SimPerson, msg: SimMessage, appId: string): void {
    this.sendMessaging(person, 'message_echoes', {
      sender: { id: this.accountId(person) },
      recipient: { id: person.id },
      timestamp: msg.createdTime,
      message: { is_echo: true, app_id: Number(appId), mid: msg.id, text: msg.text },
    });
  }

  messengerDelivery(input: {
    pageId: string;
    psid: string;
    mids?: string[];
    watermark?: number;
  }): void {
    const person = this.personFor(input.pageId, input.psid);
    const delivery: Record<string, unknown> = {};
    if (input.mids) delivery.mids = input.mids;
    delivery.watermark = input.watermark ?? this.state.nowMs();
    this.sendMessaging(person, 'message_deliveries', {
      sender: { id: person.id },
      recipient: { id: this.accountId(person) },
      delivery,
    });
  }

  messengerRead(input: { pageId: string; psid: string; watermark?: number }): void {
    const person = this.personFor(input.pageId, input.psid);
    const now = this.state.nowMs();
    this.sendMessaging(person, 'message_reads', {
      sender: { id: person.id },
      recipient: { id: this.accountId(person) },
      timestamp: now,
      read: { watermark: input.watermark ?? now },
    });
  }

  messengerPostback(input: { pageId: string; psid?: string; title?: string; payload?: string }): {
    psid: string;
    mid: string;
  } {
    const person = this.personFor(input.pageId, input.psid);
    const title = input.title ?? 'Get Started';
    const msg = this.addMessage(person, false, title);
    this.sendMessaging(person, 'messaging_postbacks', {
      sender: { id: person.id },
      recipient: { id: this.accountId(person) },
      timestamp: msg.createdTime,
      postback: { title, payload: input.payload ?? 'GET_STARTED', mid: msg.id },
    });
    return { psid: person.id, mid: msg.id };
  }

  messengerReaction(input: {
    pageId: string;
    psid: string;
    mid: string;
    reaction?: string;
    emoji?: string;
    action?: 'react' | 'unreact';
  }): void {
    const person = this.personFor(input.pageId, input.psid);
    const reaction: Record<string, unknown> = { mid: input.mid, action: input.action ?? 'react' };
    if (reaction.action === 'react') {
      reaction.reaction = input.reaction ?? 'love';
      reaction.emoji = input.emoji ?? '❤️';
    }
    this.sendMessaging(person, 'message_reactions', {
      sender: { id: person.id },
      recipient: { id: this.accountId(person) },
      timestamp: this.state.nowMs(),
      reaction,
    });
  }

  /** History for backfill: n threads (a third on Instagram when linked), some inside the 24 h window. */
  seedConversations(pageId: string, n: number, days: number): number {
    const page = this.state.pages.get(pageId);
    if (!page) return 0;
    const now = this.state.nowMs();
    for (let i = 0; i < n; i++) {
      const platform = page.igAccount && i % 3 === 2 ? 'instagram' : 'messenger';
      const person = this.createPerson(pageId, platform);
      let t =
        now -
        (i < 2
          ? this.state.rng.int(5, 600) * 60_000
          : this.state.rng.int(1, days * 24) * 3_600_000);
      const count = this.state.rng.int(2, 7);
      for (let m = 0; m < count; m++) {
        const fromPage = m % 2 === 1;
        const lines = fromPage ? messengerLines.outbound : messengerLines.inbound;
        this.addMessage(person, fromPage, this.state.rng.pick(lines), t);
        t += this.state.rng.int(1, 90) * 60_000;
        if (t > now) t = now - (count - m);
      }
    }
    return n;
  }

  protected personFor(
    pageId: string,
    psid?: string,
    platform?: 'messenger' | 'instagram',
  ): SimPerson {
    if (psid) {
      const p = this.state.persons.get(psid);
      if (!p || p.pageId !== pageId) throw new Error(`unknown person ${psid} on page ${pageId}`);
      return p;
    }
    return this.createPerson(pageId, platform ?? 'messenger');
  }

  /** The id Meta puts as recipient/entry id: the page, or its Instagram account for IG threads. */
  protected accountId(person: SimPerson): string {
    if (person.platform === 'instagram') return this.state.pages.get(person.pageId)!.igAccount!.id;
    return person.pageId;
  }

  protected sendMessaging(person: SimPerson, field: string, event: Record<string, unknown>): void {
    const object = person.platform === 'instagram' ? 'instagram' : 'page';
    const time = typeof event.timestamp === 'number' ? event.timestamp : this.state.nowMs();
    this.sendPageWebhook(
      person.pageId,
      field,
      object,
      messagingEntry(this.accountId(person), time, event),
    );
  }
}
