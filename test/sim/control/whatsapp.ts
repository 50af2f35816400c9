import { createHash } from 'node:crypto';
import { locales } from '../names';
import { makePerson } from '../people';
import type { SimMedia, WaContact } from '../model';
import { whatsappEntry } from '../payloads';
import { applyScenario, type ScenarioSpec, type ScenarioSummary } from '../scenario';
import { MessagingControl } from './messaging';

export type WaInboundType =
  'text' | 'image' | 'location' | 'contacts' | 'button' | 'interactive' | 'reaction';

export interface WaInboundInput {
  phoneNumberId: string;
  /** wa_id (digits) of an existing or new contact; a new one is made up when absent. */
  from?: string;
  name?: string;
  type?: WaInboundType;
  text?: string;
  /** Reply context: the wamid being answered (buttons, interactive replies, quoted text). */
  contextId?: string;
  /** Username rollout (meta-platform.md §2.5): wa_id/phone absent, only the BSUID. */
  withoutPhone?: boolean;
  webhook?: boolean;
}

export interface WaStatusInput {
  phoneNumberId?: string;
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  errors?: { code: number; title: string; message?: string; details?: string }[];
}

const tinyPng = Buffer.from(
  // A 1×1 PNG, in hex: as base64 it reads like a Meta access token to secret scanners.
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4' +
    '890000000d4944415478da63fccfc0500f000485018084a98c21000000004945' +
    '4e44ae426082',
  'hex',
);

/** WhatsApp Cloud API accounts, inbound messages and statuses; CAPI datasets; scenarios. */
export class Control extends MessagingControl {
  /** A WABA with phone numbers, owned by a business whose system user holds a non-expiring token. */
  createWhatsApp(
    input: { userId?: string; name?: string; phones?: number; displayNumbers?: string[] } = {},
  ): { wabaId: string; phoneNumberIds: string[]; systemUserId: string; systemUserToken: string } {
    const owner = this.mustUser(input.userId ?? this.ownerId());
    const wabaId = this.state.newId('waba');
    const name = input.name ?? 'Lead Inbox Demo Business';
    const phoneIds: string[] = [];
    for (let i = 0; i < (input.phones ?? 1); i++) {
      const id = this.state.newId('phone');
      const digits =
        input.displayNumbers?.[i]?.replace(/\D/g, '') ??
        `1555${String(this.state.rng.int(1000000, 9999999))}`;
      this.state.phones.set(id, {
        id,
        wabaId,
        displayPhoneNumber: digits,
        verifiedName: name,
        qualityRating: 'GREEN',
      });
      phoneIds.push(id);
    }
    this.state.wabas.set(wabaId, {
      id: wabaId,
      name,
      currency: 'USD',
      timezoneId: '1',
      namespace:
        this.state.rng.chars(8, 'abcdef0123456789') +
        '_' +
        this.state.rng.chars(4, 'abcdef0123456789'),
      phoneIds,
      templates: [
        {
          id: this.state.newId('template'),
          name: 'hello_world',
          language: 'en_US',
          status: 'APPROVED',
          category: 'UTILITY',
          components: [
            { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
            {
              type: 'BODY',
              text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta.',
            },
          ],
        },
        {
          id: this.state.newId('template'),
          name: 'lead_follow_up',
          language: 'en_US',
          status: 'APPROVED',
          category: 'UTILITY',
          components: [
            {
              type: 'BODY',
              text: 'Hi {{1}}, thanks for your interest in {{2}}. When is a good time to call?',
            },
          ],
        },
        {
          id: this.state.newId('template'),
          name: 'seguimiento',
          language: 'es',
          status: 'APPROVED',
          category: 'UTILITY',
          components: [{ type: 'BODY', text: 'Hola {{1}}, ¿cuándo podemos llamarte?' }],
        },
      ],
      subscribed: new Map([[this.state.appId, ['messages']]]),
    });
    owner.wabaIds.add(wabaId);
    const system = this.createUser({ name: `${name} System User`, system: true });
    this.mustUser(system.id).wabaIds.add(wabaId);
    return {
      wabaId,
      phoneNumberIds: phoneIds,
      systemUserId: system.id,
      systemUserToken: this.userToken(system.id),
    };
  }

  seedWhatsApp(userId: string): { wabaId: string; phoneNumberId: string; systemUserToken: string } {
    const wa = this.createWhatsApp({ userId });
    const phoneId = wa.phoneNumberIds[0]!;
    // WhatsApp has no history API: seeded contacts only open (or not) the service window.
    for (let i = 0; i < 4; i++) {
      const c = this.contactFor(phoneId);
      c.lastInboundAt =
        this.state.nowMs() - (i < 2 ? i * 3_600_000 + 60_000 : (i + 1) * 86_400_000);
    }
    return { wabaId: wa.wabaId, phoneNumberId: phoneId, systemUserToken: wa.systemUserToken };
  }

  contactFor(phoneId: string, waId?: string, name?: string): WaContact {
    if (waId) {
      const existing = this.state.waContacts.get(`${phoneId}:${waId}`);
      if (existing) return existing;
    }
    const p = makePerson(this.state.rng, this.state.rng.pick(locales));
    const id = waId ?? p.phone.replace(/\D/g, '');
    const contact: WaContact = {
      phoneId,
      waId: id,
      userId: `${this.state.rng.pick(['US', 'BR', 'DE', 'IN', 'ES', 'JP'])}.${this.state.rng.chars(15, '0123456789')}`,
      name: name ?? p.fullName,
      lastInboundAt: null,
    };
    this.state.waContacts.set(`${phoneId}:${id}`, contact);
    return contact;
  }

  /** A WhatsApp user writes to a number: messages webhook with contacts[] and messages[]. */
  whatsappInbound(input: WaInboundInput): {
    wamid: string;
    waId: string;
    userId: string;
    mediaId?: string;
  } {
    const phone = this.state.phones.get(input.phoneNumberId);
    if (!phone) throw new Error(`unknown phone number ${input.phoneNumberId}`);
    const contact = this.contactFor(phone.id, input.from, input.name);
    const now = this.state.nowMs();
    contact.lastInboundAt = now;
    const type = input.type ?? 'text';
    const wamid = this.newWamid();
    const msg: Record<string, unknown> = {};
    // Live payloads since the BSUID rollout carry both `from` (phone, absent for username-only
    // users) and `from_user_id` (the BSUID); see docs/simulator.md.
    if (!input.withoutPhone) msg.from = contact.waId;
    msg.from_user_id = contact.userId;
    msg.id = wamid;
    msg.timestamp = String(Math.floor(now / 1000));
    msg.type = type;
    if (input.contextId) msg.context = { from: phone.displayPhoneNumber, id: input.contextId };
    let mediaId: string | undefined;
    switch (type) {
      case 'text':
        msg.text = { body: input.text ?? 'Hi! Is this still available? 😊' };
        break;
      case 'image': {
        const media = this.createMedia(phone.id, tinyPng, 'image/jpeg');
        mediaId = media.id;
        msg.image = {
          caption: input.text ?? 'Photo of the room',
          mime_type: media.mimeType,
          sha256: media.sha256,
          id: media.id,
        };
        break;
      }
      case 'location':
        msg.location = {
          latitude: 40.4168,
          longitude: -3.7038,
          name: 'Puerta del Sol',
          address: 'Plaza de la Puerta del Sol, Madrid',
        };
        break;
      case 'contacts':
        msg.contacts = [
          {
            name: { formatted_name: 'Jürgen Müller', first_name: 'Jürgen', last_name: 'Müller' },
            phones: [{ phone: '+49 151 23456789', wa_id: '4915123456789', type: 'CELL' }],
          },
        ];
        break;
      case 'button':
        msg.button = { payload: 'CALL_ME', text: input.text ?? 'Call me' };
        break;
      case 'interactive':
        msg.interactive = {
          type: 'button_reply',
          button_reply: { id: 'slot_morning', title: input.text ?? 'Morning' },
        };
        break;
      case 'reaction':
        msg.reaction = { message_id: input.contextId ?? '', emoji: '👍' };
        delete msg.context;
        break;
    }
    this.state.waMessages.set(wamid, {
      id: wamid,
      phoneId: phone.id,
      waId: contact.waId,
      direction: 'in',
      type,
      body: msg,
      timestamp: now,
    });
    const contactEntry: Record<string, unknown> = { profile: { name: contact.name } };
    if (!input.withoutPhone) contactEntry.wa_id = contact.waId;
    contactEntry.user_id = contact.userId;
    if (input.webhook ?? true) this.sendWa(phone.id, { contacts: [contactEntry], messages: [msg] });
    return { wamid, waId: contact.waId, userId: contact.userId, ...(mediaId ? { mediaId } : {}) };
  }

  /** A status webhook for a message the app sent (sent / delivered / read / failed with errors). */
  whatsappStatus(input: WaStatusInput): void {
    const sent = this.state.waMessages.get(input.wamid);
    const phoneId = input.phoneNumberId ?? sent?.phoneId;
    if (!phoneId) throw new Error(`unknown message ${input.wamid}`);
    const contact = sent ? this.state.waContacts.get(`${phoneId}:${sent.waId}`) : undefined;
    const status: Record<string, unknown> = {
      id: input.wamid,
      status: input.status,
      timestamp: String(this.state.nowS()),
      recipient_id: sent?.waId ?? '',
    };
    if (contact) status.recipient_user_id = contact.userId;
    if (input.status === 'sent' || input.status === 'delivered') {
      status.conversation = {
        id: this.state.rng.chars(32, 'abcdef0123456789'),
        origin: { type: 'service' },
      };
      status.pricing = {
        billable: false,
        pricing_model: 'PMP',
        category: 'service',
        type: 'free_customer_service',
      };
    }
    if (input.status === 'failed') {
      status.errors = (input.errors ?? [{ code: 131026, title: 'Message undeliverable' }]).map(
        (e) => ({
          code: e.code,
          title: e.title,
          message: e.message ?? e.title,
          error_data: { details: e.details ?? e.title },
        }),
      );
    }
    this.sendWa(phoneId, { statuses: [status] });
  }

  createMedia(phoneId: string, bytes: Buffer, mimeType: string): SimMedia {
    const media: SimMedia = {
      id: this.state.newId('media'),
      phoneId,
      mimeType,
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      createdAt: this.state.nowMs(),
    };
    this.state.media.set(media.id, media);
    return media;
  }

  newWamid(): string {
    return 'wamid.HBgL' + this.state.rng.chars(48, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') + '==';
  }

  protected sendWa(phoneId: string, partial: Record<string, unknown>): void {
    const phone = this.state.phones.get(phoneId)!;
    const waba = this.state.wabas.get(phone.wabaId)!;
    if (!waba.subscribed.has(this.state.appId)) return;
    const value = {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: phone.displayPhoneNumber, phone_number_id: phone.id },
      ...partial,
    };
    this.sim.webhooks.send('whatsapp_business_account', whatsappEntry(waba.id, value));
  }

  /** A Conversions API dataset (pixel) the user's tokens may send events to. */
  createDataset(input: { userId?: string; name?: string } = {}): { id: string; name: string } {
    const id = this.state.newId('dataset');
    const name = input.name ?? 'Lead Inbox CRM events';
    this.state.datasets.set(id, { id, name });
    this.mustUser(input.userId ?? this.ownerId()).datasetIds.add(id);
    return { id, name };
  }

  readonly capiReceived: {
    datasetId: string;
    at: number;
    testEventCode: string | null;
    events: unknown[];
    token: string;
  }[] = [];

  /** Every accepted Conversions API batch, oldest first (rejected batches are not recorded). */
  capiEvents(): {
    datasetId: string;
    at: number;
    testEventCode: string | null;
    events: unknown[];
    token: string;
  }[] {
    return this.capiReceived;
  }

  loadScenario(spec: ScenarioSpec = {}): ScenarioSummary {
    return applyScenario(this, spec);
  }
}
