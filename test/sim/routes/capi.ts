import { canSeeDataset } from '../auth';
import type { GraphCall, GraphRoute } from '../context';
import { fail, GraphFail, traceId } from '../errors';
import { jsonParam, type Reply } from '../http';

/**
 * Conversions API for CRM lead events (meta-platform.md §7): `POST /{dataset-id}/events` with
 * data[] ≤ 1000; one invalid event rejects the whole batch with Meta's error shape. Subcode
 * 2804003 (event too old) and the error_user_title texts follow what Meta returns in public
 * reports; the stored Meta copies do not list them, so they are best-known, not confirmed.
 */
const maxEvents = 1000;
const maxAgeS = 7 * 86400;
const sha256Hex = /^[a-f0-9]{64}$/;

function reject(index: number, title: string, msg: string, subcode?: number): GraphFail {
  return new GraphFail(400, {
    message: 'Invalid parameter',
    type: 'OAuthException',
    code: 100,
    ...(subcode ? { error_subcode: subcode } : {}),
    is_transient: false,
    error_user_title: title,
    error_user_msg: `${msg} (event index ${index})`,
  });
}

function hashedList(v: unknown): string[] | null {
  if (v === undefined) return null;
  const list = Array.isArray(v) ? v : [v];
  return list.every((x) => typeof x === 'string') ? (list as string[]) : [];
}

function validate(
  call: GraphCall,
  e: Record<string, unknown>,
  i: number,
  now: number,
): string | null {
  if (typeof e.event_name !== 'string' || !e.event_name)
    throw reject(i, 'Missing event_name', 'The event_name parameter is required.');
  const t = e.event_time;
  if (typeof t !== 'number' || !Number.isInteger(t))
    throw reject(i, 'Invalid event_time', 'event_time must be a Unix timestamp in seconds.');
  if (t < now - maxAgeS) {
    throw reject(
      i,
      'Event Timestamp Too Old',
      'The timestamp for this event is too far in the past. Events need to be sent from your server within 7 days of when they occurred. Enter a timestamp that has occurred within the last 7 days.',
      2804003,
    );
  }
  if (t > now + 60)
    throw reject(
      i,
      'Event Timestamp In Future',
      'The timestamp for this event is in the future. Enter a timestamp for an event that has already occurred.',
    );
  if (e.action_source !== 'system_generated')
    throw reject(
      i,
      'Invalid action_source',
      'CRM lead events must use action_source "system_generated".',
    );
  const user = (e.user_data ?? {}) as Record<string, unknown>;
  const leadId = user.lead_id;
  const em = hashedList(user.em);
  const ph = hashedList(user.ph);
  if (leadId !== undefined) {
    const id = String(leadId);
    if (!/^\d{15,17}$/.test(id) || !call.sim.state.leads.has(id))
      throw reject(i, 'Invalid lead_id', `The lead_id ${id} is not a valid lead ID.`);
  } else if (!em && !ph) {
    throw reject(i, 'Missing user_data', 'user_data needs lead_id, or hashed em / ph.');
  }
  for (const [key, list] of [
    ['em', em],
    ['ph', ph],
  ] as const) {
    if (list && (list.length === 0 || !list.every((h) => sha256Hex.test(h))))
      throw reject(
        i,
        `Unhashed ${key}`,
        `user_data.${key} must be SHA-256 hashes (lowercase hex) of normalised values.`,
      );
  }
  const custom = (e.custom_data ?? {}) as Record<string, unknown>;
  if (custom.event_source !== 'crm')
    throw reject(i, 'Invalid event_source', 'custom_data.event_source must be "crm".');
  if (typeof custom.lead_event_source !== 'string' || !custom.lead_event_source)
    throw reject(
      i,
      'Missing lead_event_source',
      'custom_data.lead_event_source must name the CRM.',
    );
  if (leadId !== undefined) {
    const lead = call.sim.state.leads.get(String(leadId))!;
    if (t < lead.createdTime)
      return `Event ${i}: event_time is before the lead was created; it may be discarded.`;
  }
  return null;
}

export const capiRoutes: GraphRoute[] = [
  {
    kind: 'dataset',
    edge: 'events',
    method: 'POST',
    handle: (call): Reply => {
      const { state, control } = call.sim;
      if (!canSeeDataset(state, call.token, call.id)) throw fail.noObject(call.id, 'post');
      const data = jsonParam(call.req.params, 'data');
      if (!Array.isArray(data) || data.length === 0)
        throw fail.param('The parameter data is required and must be a non-empty array.');
      if (data.length > maxEvents)
        throw fail.param(`Too many events: data can hold at most ${maxEvents} events.`);
      const now = state.nowS();
      const messages: string[] = [];
      data.forEach((e, i) => {
        if (!e || typeof e !== 'object')
          throw reject(i, 'Invalid event', 'Each event must be an object.');
        const warning = validate(call, e as Record<string, unknown>, i, now);
        if (warning) messages.push(warning);
      });
      control.capiReceived.push({
        datasetId: call.id,
        at: state.nowMs(),
        testEventCode: call.req.params.test_event_code ?? null,
        events: data,
        token: call.token.value,
      });
      return { json: { events_received: data.length, messages, fbtrace_id: traceId() } };
    },
  },
];
