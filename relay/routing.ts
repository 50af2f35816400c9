import type { RoutingKind } from '../shared/relay-protocol';
import { entrySpans } from './entryScanner';

/** One `entry[]` element of a Meta delivery, ready to store. */
export interface IncomingEvent {
  object: string;
  kind: RoutingKind;
  /** The id the event is shown under (page id, IG account id, WABA id, user id). */
  assetId: string;
  /** Every asset id a binding may match (WhatsApp: the WABA id and each phone_number_id). */
  routeIds: string[];
  /** For `permissions`: permissions revoked in this entry (deauthorisation stops delivery). */
  revoked: boolean;
  raw: string;
}

export type SplitResult = { ok: true; events: IncomingEvent[] } | { ok: false; reason: 'not_json' | 'not_envelope' };

const kindByObject: Record<string, RoutingKind> = {
  page: 'page',
  instagram: 'instagram',
  whatsapp_business_account: 'whatsapp',
  permissions: 'permissions',
};

/**
 * Splits a verified delivery into one event per `entry[]` element, each with the exact raw bytes
 * of that element and its routing key. Returns a reason when the body is not Meta's envelope.
 */
export function splitDelivery(body: Buffer): SplitResult {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  if (!isRecord(doc) || typeof doc.object !== 'string' || !Array.isArray(doc.entry)) {
    return { ok: false, reason: 'not_envelope' };
  }
  const entries = doc.entry as unknown[];
  if (!entries.every(isRecord)) return { ok: false, reason: 'not_envelope' };
  const spans = entrySpans(body);
  if (!spans || spans.length !== entries.length) return { ok: false, reason: 'not_envelope' };
  const object = doc.object;
  const kind = kindByObject[object] ?? 'unknown';
  const events = entries.map((entry, i): IncomingEvent => {
    const assetId = idString(entry.id);
    return {
      object,
      kind,
      assetId,
      routeIds: kind === 'whatsapp' ? whatsappRouteIds(assetId, entry) : assetId ? [assetId] : [],
      revoked: kind === 'permissions' && hasRevocation(entry),
      raw: body.toString('utf8', spans[i]!.start, spans[i]!.end),
    };
  });
  return { ok: true, events };
}

/** WhatsApp routes by WABA id and by `value.metadata.phone_number_id` of each change. */
function whatsappRouteIds(wabaId: string, entry: Record<string, unknown>): string[] {
  const ids = new Set<string>(wabaId ? [wabaId] : []);
  for (const change of Array.isArray(entry.changes) ? entry.changes : []) {
    const value = isRecord(change) ? change.value : undefined;
    const metadata = isRecord(value) ? value.metadata : undefined;
    const phoneId = isRecord(metadata) ? idString(metadata.phone_number_id) : '';
    if (phoneId) ids.add(phoneId);
  }
  return [...ids];
}

/** Meta's `permissions` webhook: `changes[{field: <permission>, value: {verb: 'revoked'}}]`. */
function hasRevocation(entry: Record<string, unknown>): boolean {
  const changes = Array.isArray(entry.changes) ? entry.changes : [];
  return changes.some((c) => isRecord(c) && isRecord(c.value) && c.value.verb === 'revoked');
}

function idString(v: unknown): string {
  return typeof v === 'string' ? v.slice(0, 64) : typeof v === 'number' ? String(v) : '';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
