import { createHmac } from 'node:crypto';
import { canSeeWaba, requireScope } from '../auth';
import type { GraphCall, GraphRoute, SimContext } from '../context';
import { fail, GraphFail } from '../errors';
import { fieldNames, parseFields } from '../fields';
import { jsonParam, type Reply } from '../http';
import type { SimPhone, SimToken } from '../model';
import { pageList } from '../paging';

/**
 * WhatsApp Cloud API (meta-platform.md §5): sends (text, template, media, mark-as-read) with the
 * 24 h customer-service window, account and number lookups, templates, and media lookup whose
 * URL points back at the simulator for 5 minutes and needs the same Bearer header.
 */
const dayMs = 86_400_000;

function requireWaba(sim: SimContext, token: SimToken, wabaId: string, id: string): void {
  if (!canSeeWaba(sim.state, token, wabaId)) throw fail.noObject(id);
}

function waError(code: number, message: string, details: string, status = 400): GraphFail {
  return new GraphFail(status, {
    message: `(#${code}) ${message}`,
    type: 'OAuthException',
    code,
    error_data: { messaging_product: 'whatsapp', details },
  });
}

export function renderPhone(
  phone: SimPhone,
  fields = [
    'verified_name',
    'code_verification_status',
    'display_phone_number',
    'quality_rating',
    'platform_type',
    'throughput',
    'id',
  ],
): Record<string, unknown> {
  const d = phone.displayPhoneNumber;
  const pretty = d.startsWith('1') ? `+1 ${d.slice(1, 4)}-${d.slice(4, 7)}-${d.slice(7)}` : `+${d}`;
  const all: Record<string, unknown> = {
    verified_name: phone.verifiedName,
    code_verification_status: 'VERIFIED',
    display_phone_number: pretty,
    quality_rating: phone.qualityRating,
    platform_type: 'CLOUD_API',
    throughput: { level: 'STANDARD' },
    name_status: 'APPROVED',
    messaging_limit_tier: 'TIER_1K',
    id: phone.id,
  };
  const out: Record<string, unknown> = {};
  for (const f of fields)
    if (f in all) out[f] = all[f];
    else throw fail.unknownField(f, 'WhatsAppBusinessPhoneNumber');
  out.id = phone.id;
  return out;
}

function send(call: GraphCall): Reply {
  const { state, control, settings } = call.sim;
  const phone = state.phones.get(call.id)!;
  requireWaba(call.sim, call.token, phone.wabaId, call.id);
  requireScope(call.token, 'whatsapp_business_messaging');
  const p = call.req.params;
  if (p.messaging_product !== 'whatsapp')
    throw fail.param('The parameter messaging_product is required.');
  if (p.status === 'read') {
    const target = state.waMessages.get(p.message_id ?? '');
    if (!target || target.phoneId !== phone.id || target.direction !== 'in')
      throw fail.param('Invalid parameter', 2494010);
    return { json: { success: true } };
  }
  const to = (p.to ?? '').replace(/\D/g, '');
  if (!to) throw fail.param('The parameter to is required.');
  const type = p.type ?? 'text';
  const contact = control.contactFor(phone.id, to);
  if (type === 'text') {
    const text = jsonParam(p, 'text') as { body?: string } | undefined;
    if (!text?.body) throw fail.param("The parameter text['body'] is required.");
    if (text.body.length > 4096)
      throw fail.param("Param text['body'] must be at most 4096 characters long.");
  } else if (type === 'template') {
    checkTemplate(call, phone.wabaId, jsonParam(p, 'template'));
  } else if (
    ![
      'image',
      'document',
      'audio',
      'video',
      'sticker',
      'location',
      'contacts',
      'interactive',
      'reaction',
    ].includes(type)
  ) {
    throw fail.param(
      `Param type must be one of {AUDIO, CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LOCATION, REACTION, STICKER, TEMPLATE, TEXT, VIDEO} - got "${type}".`,
    );
  }
  const inWindow = contact.lastInboundAt !== null && state.nowMs() - contact.lastInboundAt <= dayMs;
  const windowFails = type !== 'template' && !inWindow;
  if (windowFails && settings.whatsappWindowErrors === 'sync') {
    throw waError(
      131047,
      'Re-engagement message',
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    );
  }
  const wamid = control.newWamid();
  state.waMessages.set(wamid, {
    id: wamid,
    phoneId: phone.id,
    waId: contact.waId,
    direction: 'out',
    type,
    body: call.req.json ?? p,
    timestamp: state.nowMs(),
  });
  control.sentRecords.push({
    channel: 'whatsapp',
    from: phone.id,
    to: contact.waId,
    id: wamid,
    at: state.nowMs(),
    body: call.req.json ?? p,
    token: call.token.value,
  });
  if (windowFails) {
    setTimeout(
      () =>
        control.whatsappStatus({
          wamid,
          status: 'failed',
          errors: [
            {
              code: 131047,
              title: 'Re-engagement message',
              details:
                'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
            },
          ],
        }),
      20,
    );
  } else if (settings.whatsappAutoStatuses) {
    setTimeout(() => control.whatsappStatus({ wamid, status: 'sent' }), 20);
    setTimeout(() => control.whatsappStatus({ wamid, status: 'delivered' }), 60);
  }
  const message: Record<string, unknown> = { id: wamid };
  if (type === 'template') message.message_status = 'accepted';
  return {
    json: {
      messaging_product: 'whatsapp',
      contacts: [{ input: p.to, wa_id: contact.waId }],
      messages: [message],
    },
  };
}

function checkTemplate(call: GraphCall, wabaId: string, raw: unknown): void {
  const t = raw as
    | {
        name?: string;
        language?: { code?: string };
        components?: { type?: string; parameters?: unknown[] }[];
      }
    | undefined;
  const waba = call.sim.state.wabas.get(wabaId)!;
  const lang = t?.language?.code ?? '';
  const tpl = waba.templates.find((x) => x.name === t?.name && x.language === lang);
  if (!tpl || tpl.status !== 'APPROVED') {
    throw waError(
      132001,
      'Template name does not exist in the translation',
      `template name (${t?.name ?? ''}) does not exist in ${lang || '(no language)'}`,
      404,
    );
  }
  const bodyText =
    (tpl.components as { type: string; text?: string }[]).find((c) => c.type === 'BODY')?.text ??
    '';
  const expected = new Set(bodyText.match(/\{\{\d+\}\}/g) ?? []).size;
  const given =
    t?.components?.find((c) => c.type?.toLowerCase() === 'body')?.parameters?.length ?? 0;
  if (expected !== given) {
    throw waError(
      132000,
      'Number of parameters does not match the expected number of params',
      `body: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
    );
  }
}

export function mediaUrl(sim: SimContext, mediaId: string): string {
  const exp = sim.state.nowS() + 300;
  const hash = createHmac('sha256', sim.state.appSecret)
    .update(`${mediaId}:${exp}`)
    .digest('hex')
    .slice(0, 24);
  return `${sim.baseUrl()}/_media/wa/${mediaId}?ext=${exp}&hash=${hash}`;
}

export const whatsappRoutes: GraphRoute[] = [
  { kind: 'phone', edge: 'messages', method: 'POST', handle: send },
  {
    // Onboarding step (§5): register the number on the Cloud API with a 6-digit PIN.
    kind: 'phone',
    edge: 'register',
    method: 'POST',
    handle: (call) => {
      const phone = call.sim.state.phones.get(call.id)!;
      requireWaba(call.sim, call.token, phone.wabaId, call.id);
      if (call.req.params.messaging_product !== 'whatsapp')
        throw fail.param('The parameter messaging_product is required.');
      if (!/^\d{6}$/.test(call.req.params.pin ?? ''))
        throw fail.param('Param pin must be a 6-digit number.');
      return { json: { success: true } };
    },
  },
  {
    kind: 'phone',
    edge: null,
    method: 'GET',
    handle: (call) => {
      const phone = call.sim.state.phones.get(call.id)!;
      requireWaba(call.sim, call.token, phone.wabaId, call.id);
      const fields = call.req.params.fields
        ? fieldNames(parseFields(call.req.params.fields), [])
        : undefined;
      return { json: renderPhone(phone, fields) };
    },
  },
  {
    kind: 'waba',
    edge: null,
    method: 'GET',
    handle: (call) => {
      const waba = call.sim.state.wabas.get(call.id)!;
      requireWaba(call.sim, call.token, waba.id, call.id);
      const all: Record<string, unknown> = {
        id: waba.id,
        name: waba.name,
        currency: waba.currency,
        timezone_id: waba.timezoneId,
        message_template_namespace: waba.namespace,
      };
      const out: Record<string, unknown> = {};
      for (const f of fieldNames(parseFields(call.req.params.fields), ['id', 'name'])) {
        if (!(f in all)) throw fail.unknownField(f, 'WhatsAppBusinessAccount');
        out[f] = all[f];
      }
      out.id = waba.id;
      return { json: out };
    },
  },
  {
    kind: 'waba',
    edge: 'phone_numbers',
    method: 'GET',
    handle: (call) => {
      const waba = call.sim.state.wabas.get(call.id)!;
      requireWaba(call.sim, call.token, waba.id, call.id);
      const phones = waba.phoneIds.map((id) => call.sim.state.phones.get(id)!);
      const fields = call.req.params.fields
        ? fieldNames(parseFields(call.req.params.fields), [])
        : undefined;
      return { json: pageList(call.sim, call.req, phones, (p) => renderPhone(p, fields)) };
    },
  },
  {
    kind: 'waba',
    edge: 'message_templates',
    method: 'GET',
    handle: (call) => {
      const waba = call.sim.state.wabas.get(call.id)!;
      requireWaba(call.sim, call.token, waba.id, call.id);
      return {
        json: pageList(call.sim, call.req, waba.templates, (t) => ({
          name: t.name,
          components: t.components,
          language: t.language,
          status: t.status,
          category: t.category,
          id: t.id,
        })),
      };
    },
  },
  ...(['GET', 'POST', 'DELETE'] as const).map((method): GraphRoute => ({
    kind: 'waba',
    edge: 'subscribed_apps',
    method,
    handle: (call) => {
      const waba = call.sim.state.wabas.get(call.id)!;
      requireWaba(call.sim, call.token, waba.id, call.id);
      const appId = call.sim.state.appId;
      if (method === 'POST') waba.subscribed.set(appId, ['messages']);
      if (method === 'DELETE') waba.subscribed.delete(appId);
      if (method !== 'GET') return { json: { success: true } };
      return {
        json: {
          data: [...waba.subscribed.keys()].map((id) => ({
            whatsapp_business_api_data: {
              id,
              link: 'https://leadinbox.example',
              name: 'Lead Inbox',
            },
          })),
        },
      };
    },
  })),
  {
    kind: 'media',
    edge: null,
    method: 'GET',
    handle: (call) => {
      const media = call.sim.state.media.get(call.id)!;
      const phone = call.sim.state.phones.get(media.phoneId)!;
      requireWaba(call.sim, call.token, phone.wabaId, call.id);
      if (call.req.params.phone_number_id && call.req.params.phone_number_id !== media.phoneId)
        throw fail.noObject(call.id);
      // Media ids from webhooks resolve for 7 days (§5).
      if (call.sim.state.nowMs() - media.createdAt > 7 * dayMs) throw fail.noObject(call.id);
      return {
        json: {
          messaging_product: 'whatsapp',
          url: mediaUrl(call.sim, media.id),
          mime_type: media.mimeType,
          sha256: media.sha256,
          file_size: media.bytes.length,
          id: media.id,
        },
      };
    },
  },
];
