import { metaTimeMs, requirePage, requireScope } from '../auth';
import type { GraphCall, GraphRoute, SimContext } from '../context';
import { fail, GraphFail } from '../errors';
import { fieldNames, fieldsToString, parseFields, type FieldSpec } from '../fields';
import { jsonParam, type Reply } from '../http';
import type { SimConversation, SimMessage, SimPerson } from '../model';
import { pageList } from '../paging';

/**
 * Messenger / Instagram conversations and the Send API (meta-platform.md §4). Only the 20 most
 * recent messages of a thread return details; the 24 h window is enforced from the person's last
 * message, HUMAN_AGENT extends it to 7 days, outside it Meta answers 10 / 2018278.
 */
const recentLimit = 20;
const dayMs = 86_400_000;
const convDefault = ['id', 'updated_time'];
const msgDefault = ['id', 'created_time'];

function pageOnly(call: GraphCall): void {
  if (call.token.kind !== 'page') throw fail.pageTokenRequired();
}

function party(sim: SimContext, conv: SimConversation, fromPage: boolean): Record<string, unknown> {
  const person = sim.state.persons.get(conv.personId)!;
  const page = sim.state.pages.get(conv.pageId)!;
  if (conv.platform === 'instagram') {
    return fromPage
      ? { username: page.igAccount!.username, id: page.igAccount!.id }
      : { username: person.username, id: person.id };
  }
  return fromPage
    ? { name: page.name, email: `${page.id}@facebook.com`, id: page.id }
    : {
        name: `${person.firstName} ${person.lastName}`,
        email: `${person.id}@facebook.com`,
        id: person.id,
      };
}

export function renderMessage(
  sim: SimContext,
  msg: SimMessage,
  specs: FieldSpec[] | null,
): Record<string, unknown> {
  const conv = sim.state.conversations.get(msg.conversationId)!;
  const out: Record<string, unknown> = {};
  for (const f of fieldNames(specs, msgDefault)) {
    if (f === 'id') out.id = msg.id;
    else if (f === 'created_time') out.created_time = metaTimeMs(msg.createdTime);
    else if (f === 'from') out.from = party(sim, conv, msg.fromPage);
    else if (f === 'to') out.to = { data: [party(sim, conv, !msg.fromPage)] };
    else if (f === 'message') out.message = msg.text;
    else if (f === 'attachments') {
      if (msg.attachments.length) {
        out.attachments = {
          data: msg.attachments.map((a, i) => ({
            id: `${msg.id}_${i}`,
            mime_type: a.type === 'image' ? 'image/jpeg' : 'application/octet-stream',
            name: `${a.type}-${i}`,
            image_data: { url: a.url, preview_url: a.url, width: 640, height: 480 },
          })),
        };
      }
    } else if (f === 'is_unsupported') out.is_unsupported = false;
    else if (
      f === 'tags' ||
      f === 'shares' ||
      f === 'sticker' ||
      f === 'story' ||
      f === 'reactions'
    )
      continue;
    else throw fail.unknownField(f, 'Message');
  }
  if (!('id' in out)) out.id = msg.id;
  return out;
}

function messagesEdge(call: GraphCall, conv: SimConversation, spec: FieldSpec | null): unknown {
  const newestFirst = [...conv.messages].reverse();
  const limit = spec?.modifiers.limit ?? call.req.params.limit ?? '25';
  // A nested `messages.limit(n){…}` pages on as its own edge, /{conversation-id}/messages.
  const req = spec
    ? {
        ...call.req,
        segments: [conv.id, 'messages'],
        params: { limit, ...(spec.children ? { fields: fieldsToString(spec.children) } : {}) },
      }
    : call.req;
  return pageList(call.sim, req, newestFirst, (m) =>
    renderMessage(call.sim, m, spec ? spec.children : parseFields(call.req.params.fields)),
  );
}

function renderConversation(
  call: GraphCall,
  conv: SimConversation,
  specs: FieldSpec[] | null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of specs ??
    convDefault.map((name): FieldSpec => ({ name, modifiers: {}, children: null }))) {
    if (f.name === 'id') out.id = conv.id;
    else if (f.name === 'updated_time') out.updated_time = metaTimeMs(conv.updatedTime);
    else if (f.name === 'link') out.link = `/${conv.pageId}/inbox/${conv.id}`;
    else if (f.name === 'message_count') out.message_count = conv.messages.length;
    else if (f.name === 'unread_count') out.unread_count = 0;
    else if (f.name === 'can_reply') out.can_reply = true;
    else if (f.name === 'snippet')
      out.snippet = conv.messages[conv.messages.length - 1]?.text ?? '';
    else if (f.name === 'participants' || f.name === 'senders')
      out[f.name] = { data: [party(call.sim, conv, false), party(call.sim, conv, true)] };
    else if (f.name === 'messages') out.messages = messagesEdge(call, conv, f);
    else throw fail.unknownField(f.name, 'UnifiedThread');
  }
  if (!('id' in out)) out.id = conv.id;
  return out;
}

function listConversations(call: GraphCall): Reply {
  const { state } = call.sim;
  requirePage(state, call.token, call.id, call.id);
  pageOnly(call);
  requireScope(call.token, 'pages_messaging');
  const platform = call.req.params.platform ?? 'messenger';
  if (platform !== 'messenger' && platform !== 'instagram')
    throw fail.param('param platform must be one of {MESSENGER, INSTAGRAM}');
  const userId = call.req.params.user_id;
  const convs = [...state.conversations.values()]
    .filter(
      (c) => c.pageId === call.id && c.platform === platform && (!userId || c.personId === userId),
    )
    .sort((a, b) => b.updatedTime - a.updatedTime);
  const specs = parseFields(call.req.params.fields);
  return { json: pageList(call.sim, call.req, convs, (c) => renderConversation(call, c, specs)) };
}

function getConversation(call: GraphCall): SimConversation {
  const conv = call.sim.state.conversations.get(call.id)!;
  requirePage(call.sim.state, call.token, conv.pageId, call.id);
  return conv;
}

function send(call: GraphCall): Reply {
  const { state, control } = call.sim;
  const pageId = call.kind === 'igAccount' ? state.pageOf(call.id)! : call.id;
  requirePage(state, call.token, pageId, call.id, 'post');
  pageOnly(call);
  requireScope(call.token, 'pages_messaging');
  const p = call.req.params;
  const recipient = jsonParam(p, 'recipient') as { id?: string } | undefined;
  const person = recipient?.id ? state.persons.get(recipient.id) : undefined;
  if (!recipient?.id) throw fail.param('param recipient must be non-empty.');
  if (!person || person.pageId !== pageId) throw fail.param('No matching user found', 2018001);
  if (p.sender_action) return { json: { recipient_id: person.id } };
  const message = jsonParam(p, 'message') as
    { text?: string; attachment?: { type?: string; payload?: { url?: string } } } | undefined;
  if (!message || (typeof message.text !== 'string' && !message.attachment))
    throw fail.param('param message must be non-empty.');
  if (typeof message.text === 'string' && message.text.length > 2000)
    throw fail.param('Length of param message[text] must be less than or equal to 2000');
  checkWindow(state.nowMs(), person, p.messaging_type, p.tag);
  const attachments = message.attachment
    ? [{ type: message.attachment.type ?? 'file', url: message.attachment.payload?.url ?? '' }]
    : [];
  const msg = control.addMessage(person, true, message.text ?? '', state.nowMs(), attachments);
  control.sentRecords.push({
    channel: person.platform,
    from: pageId,
    to: person.id,
    id: msg.id,
    at: msg.createdTime,
    body: { messaging_type: p.messaging_type, tag: p.tag, message },
    token: call.token.value,
  });
  control.sendEcho(person, msg, state.appId);
  return { json: { recipient_id: person.id, message_id: msg.id } };
}

function checkWindow(
  now: number,
  person: SimPerson,
  messagingType = 'RESPONSE',
  tag?: string,
): void {
  const since = person.lastInboundAt === null ? Infinity : now - person.lastInboundAt;
  if (messagingType === 'MESSAGE_TAG') {
    if (tag === 'HUMAN_AGENT' && since <= 7 * dayMs) return;
    const otherTags = ['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'];
    if (person.platform === 'messenger' && tag && otherTags.includes(tag)) return;
    if (tag !== 'HUMAN_AGENT' && !otherTags.includes(tag ?? ''))
      throw fail.param(`Invalid tag: ${tag ?? '(none)'}`);
  } else if (since <= dayMs) {
    return;
  }
  throw new GraphFail(400, {
    message:
      '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
    type: 'OAuthException',
    code: 10,
    error_subcode: 2018278,
  });
}

function profile(call: GraphCall): Reply {
  const person = call.sim.state.persons.get(call.id)!;
  requirePage(call.sim.state, call.token, person.pageId, call.id);
  pageOnly(call);
  const ig = person.platform === 'instagram';
  const out: Record<string, unknown> = {};
  for (const f of fieldNames(
    parseFields(call.req.params.fields),
    ig ? ['name', 'username', 'profile_pic'] : ['first_name', 'last_name', 'profile_pic'],
  )) {
    if (f === 'id') continue;
    if (f === 'first_name' && !ig) out.first_name = person.firstName;
    else if (f === 'last_name' && !ig) out.last_name = person.lastName;
    else if (f === 'name') out.name = `${person.firstName} ${person.lastName}`;
    else if (f === 'username' && ig) out.username = person.username;
    else if (f === 'profile_pic')
      out.profile_pic = `${call.sim.baseUrl()}/_media/avatar/${person.id}.png`;
    else if (
      ig &&
      [
        'follower_count',
        'is_user_follow_business',
        'is_business_follow_user',
        'is_verified_user',
      ].includes(f)
    )
      out[f] = f === 'follower_count' ? 42 : false;
    else if (!ig && ['locale', 'timezone', 'gender'].includes(f)) continue;
    else throw fail.unknownField(f, 'User');
  }
  out.id = person.id;
  return { json: out };
}

export const messengerRoutes: GraphRoute[] = [
  { kind: 'page', edge: 'conversations', method: 'GET', handle: listConversations },
  { kind: 'page', edge: 'messages', method: 'POST', handle: send },
  { kind: 'igAccount', edge: 'messages', method: 'POST', handle: send },
  {
    kind: 'conversation',
    edge: null,
    method: 'GET',
    handle: (call) => ({
      json: renderConversation(call, getConversation(call), parseFields(call.req.params.fields)),
    }),
  },
  {
    kind: 'conversation',
    edge: 'messages',
    method: 'GET',
    handle: (call) => ({ json: messagesEdge(call, getConversation(call), null) }),
  },
  {
    kind: 'message',
    edge: null,
    method: 'GET',
    handle: (call) => {
      const { state } = call.sim;
      const msg = state.messages.get(call.id)!;
      const conv = state.conversations.get(msg.conversationId)!;
      requirePage(state, call.token, conv.pageId, call.id);
      // Meta returns details only for the 20 most recent messages of a thread (§4).
      if (conv.messages.indexOf(msg) < conv.messages.length - recentLimit)
        throw fail.noObject(call.id);
      return { json: renderMessage(call.sim, msg, parseFields(call.req.params.fields)) };
    },
  },
  { kind: 'person', edge: null, method: 'GET', handle: profile },
];
