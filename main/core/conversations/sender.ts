import type { Template } from '../../../shared/index';
import type { TemplateChoice } from '../../../shared/api/threads';
import type { GraphClient } from '../graph/client';
import { GraphError } from '../graph/errors';
import type { TokenStore } from '../ports';
import { arr, obj, str } from './json';
import type { ThreadRecord } from './threadsStore';
import { replyWindow } from './window';

/** What the outbox stores for one reply: enough to send it again after a restart (no token). */
export type ReplyPayload = { text: string } | { template: TemplateChoice };

/** A reply Meta would refuse before we even ask (window closed, account not connected). */
export class SendRefused extends Error {
  override name = 'SendRefused';
}

export function tokenAccount(t: Pick<ThreadRecord, 'channel' | 'account_id'>): string {
  return t.channel === 'whatsapp' ? `whatsapp:${t.account_id}` : `page:${t.account_id}`;
}

export async function tokenFor(tokens: TokenStore, t: Pick<ThreadRecord, 'channel' | 'account_id'>): Promise<string> {
  const token = await tokens.get(tokenAccount(t));
  if (!token) {
    throw new SendRefused(
      t.channel === 'whatsapp'
        ? 'This WhatsApp number is not connected any more: connect it again in Settings.'
        : 'This page is not connected any more: reconnect Facebook in Settings.',
    );
  }
  return token;
}

/** Sends one reply through the Send API or WhatsApp Cloud API; resolves with Meta's message id. */
export async function sendReply(
  graph: GraphClient,
  tokens: TokenStore,
  t: ThreadRecord,
  payload: ReplyPayload,
  now: number,
  opts: { humanAgentTag: boolean },
): Promise<string> {
  const token = await tokenFor(tokens, t);
  const window = replyWindow(t.channel, t.last_inbound_at, now, opts);
  if (t.channel === 'whatsapp') {
    if ('text' in payload && window.state !== 'open') throw new SendRefused(window.reason ?? 'Outside the 24-hour window.');
    const res = await graph.post<{ messages?: { id?: string }[] }>(`${t.account_id}/messages`, token, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      // A user with a username may have no phone: address them by BSUID in `recipient` (Meta's
      // BSUID sending; `to` would win if both were given).
      ...(t.wa_id ? { to: t.wa_id } : { recipient: t.participant_id }),
      ...('text' in payload
        ? { type: 'text', text: { body: payload.text, preview_url: false } }
        : { type: 'template', template: templateBody(payload.template) }),
    });
    const id = res.messages?.[0]?.id;
    if (!id) throw new Error('WhatsApp answered without a message id');
    return id;
  }
  if (!('text' in payload)) throw new SendRefused('Templates are for WhatsApp only.');
  if (window.state !== 'open' && window.state !== 'tag') throw new SendRefused(window.reason ?? 'Outside the reply window.');
  const res = await graph.post<{ message_id?: string }>(`${t.account_id}/messages`, token, {
    recipient: { id: t.participant_id },
    messaging_type: window.state === 'open' ? 'RESPONSE' : 'MESSAGE_TAG',
    ...(window.state === 'tag' ? { tag: 'HUMAN_AGENT' } : {}),
    message: { text: payload.text },
  });
  if (!res.message_id) throw new Error('The Send API answered without a message_id');
  return res.message_id;
}

function templateBody(c: TemplateChoice): unknown {
  const components: unknown[] = [];
  if (c.headerParams.length) {
    components.push({ type: 'header', parameters: c.headerParams.map((text) => ({ type: 'text', text })) });
  }
  if (c.bodyParams.length) {
    components.push({ type: 'body', parameters: c.bodyParams.map((text) => ({ type: 'text', text })) });
  }
  return { name: c.name, language: { code: c.language, policy: 'deterministic' }, components };
}

/** The template's text with the owner's values in place, as the thread shows it. */
export function renderTemplate(t: Template | null, c: TemplateChoice): string {
  if (!t) return `Template ${c.name}`;
  const fill = (s: string, values: string[]) => s.replace(/\{\{(\d+)\}\}/g, (_, n: string) => values[Number(n) - 1] ?? `{{${n}}}`);
  return [t.headerText ? fill(t.headerText, c.headerParams) : null, fill(t.bodyText, c.bodyParams)].filter(Boolean).join('\n');
}

/** Approved templates of a WABA (paged), as the picker needs them. */
export async function fetchTemplates(graph: GraphClient, token: string, wabaId: string): Promise<Template[]> {
  const out: Template[] = [];
  for await (const page of graph.pages<Record<string, unknown>>(`${wabaId}/message_templates`, token, {
    fields: 'name,language,status,category,components',
    limit: 100,
  })) {
    for (const t of page) {
      if (str(t.status) !== 'APPROVED') continue;
      const comps = arr(t.components).map(obj);
      const header = comps.find((c) => c?.type === 'HEADER' && (c.format ?? 'TEXT') === 'TEXT');
      const body = comps.find((c) => c?.type === 'BODY');
      const headerText = str(header?.text);
      const bodyText = str(body?.text) ?? '';
      out.push({
        name: str(t.name) ?? '',
        language: str(t.language) ?? 'en_US',
        category: str(t.category) ?? 'UTILITY',
        headerText,
        headerParams: countParams(headerText),
        bodyText,
        bodyParams: countParams(bodyText),
      });
    }
  }
  return out;
}

function countParams(s: string | null): number {
  if (!s) return 0;
  return new Set(s.match(/\{\{\d+\}\}/g) ?? []).size;
}

/** WhatsApp read receipt for everything up to this message. */
export async function markWhatsAppRead(graph: GraphClient, token: string, phoneNumberId: string, wamid: string): Promise<void> {
  await graph.post(`${phoneNumberId}/messages`, token, { messaging_product: 'whatsapp', status: 'read', message_id: wamid });
}

/** Meta's error in words the owner can act on; Meta's own message stays in it. */
export function describeSendError(e: unknown): string {
  if (e instanceof SendRefused) return e.message;
  if (!(e instanceof GraphError)) return `Could not send: ${e instanceof Error ? e.message : String(e)}`;
  const meta = `${e.message} (code ${e.code ?? e.status}${e.subcode ? `/${e.subcode}` : ''})`;
  if (e.code === 10 && e.subcode === 2018278) return `Outside Messenger's reply window. ${meta}`;
  const hint = hints[e.code ?? -1];
  return hint ? `${hint} ${meta}` : meta;
}

const hints: Record<number, string> = {
  131047: 'More than 24 hours since their last message: send an approved template.',
  131026: 'WhatsApp could not deliver this message (not on WhatsApp, or an old app version).',
  131056: 'Too many messages to this person in a short time: wait a little and retry.',
  130429: 'WhatsApp throughput limit reached: retry in a moment.',
  132000: 'The template parameters do not match the template.',
  132001: 'This template does not exist in this language.',
  133010: 'This phone number is not registered with WhatsApp Cloud API.',
  131062: 'WhatsApp does not allow this kind of message to a username-only contact.',
  551: 'This person is not available right now.',
  190: 'The Facebook connection expired: reconnect in Settings.',
};

/**
 * Worth retrying by itself (network, 5xx, throttling); everything else waits for the owner. An
 * answer we could not read (no message id) is not retried: Meta may have sent it already.
 */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof GraphError)) return false;
  return e.action === 'retry' || isThrottled(e);
}

/** Throttling: platform / BUC limits, WhatsApp throughput (130429) and pair rate (131056, §5). */
function isThrottled(e: GraphError): boolean {
  return e.action === 'rate_limit' || e.code === 130429 || e.code === 131056;
}

/**
 * Meta's wait when it names one; else exponential with jitter, capped at 15 min. A throttle starts
 * at a minute (meta-platform.md §6: retrying a throttled call within seconds only extends the block);
 * an outage or a network error starts at a few seconds.
 */
export function retryDelayMs(e: unknown, attempts: number): number {
  const fromMeta = e instanceof GraphError ? e.retryAfterMs : null;
  const first = e instanceof GraphError && isThrottled(e) ? 60_000 : 4_000;
  const base = Math.min(15 * 60_000, first * 2 ** Math.max(0, attempts - 1));
  return fromMeta ?? Math.round(base * (0.75 + Math.random() * 0.5));
}

