import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventLog } from './eventLog';
import { BodyTooLarge, readBody, sendText } from './http';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { splitDelivery } from './routing';
import { verifyChallenge, verifySignature } from './verify';

/** Meta batches up to 1,000 updates per delivery; 10 MiB covers that with room to spare. */
export const MAX_WEBHOOK_BYTES = 10 * 1024 * 1024;

export interface WebhookDeps {
  appSecret: string;
  verifyToken: string;
  eventLog: EventLog;
  metrics: Metrics;
  log: Logger;
  now: () => number;
  maxBodyBytes: number;
}

/** GET: Meta's subscription handshake. Raw challenge on success, 403 otherwise. */
export function handleVerification(url: URL, res: ServerResponse, deps: WebhookDeps): void {
  const challenge = verifyChallenge(url.searchParams, deps.verifyToken);
  if (challenge === null) {
    deps.log.warn('webhook verification refused');
    sendText(res, 403, 'Forbidden');
    return;
  }
  sendText(res, 200, challenge);
}

/**
 * POST: signature over the raw bytes, then envelope, then commit, then 200. Every refusal happens
 * before anything is written, so a rejected request leaves no trace but a counter.
 */
export async function handleDelivery(req: IncomingMessage, res: ServerResponse, deps: WebhookDeps): Promise<void> {
  deps.metrics.received++;
  const receivedAt = deps.now();
  let body: Buffer;
  try {
    body = await readBody(req, deps.maxBodyBytes);
  } catch (e) {
    const tooLarge = e instanceof BodyTooLarge;
    reject(res, deps, tooLarge ? 413 : 400, tooLarge ? 'too_large' : 'read_error');
    return;
  }
  const header = req.headers['x-hub-signature-256'];
  if (typeof header !== 'string') return reject(res, deps, 401, 'missing_signature');
  if (!verifySignature(body, header, deps.appSecret)) return reject(res, deps, 401, 'bad_signature');
  const split = splitDelivery(body);
  if (!split.ok) return reject(res, deps, 400, split.reason);
  try {
    await deps.eventLog.append(split.events, receivedAt);
  } catch (e) {
    deps.log.error('commit failed', { error: (e as Error).message, events: split.events.length });
    return reject(res, deps, 503, 'commit_failed');
  }
  deps.metrics.stored += split.events.length;
  const unknown = split.events.filter((e) => e.kind === 'unknown').length;
  if (unknown > 0) {
    deps.log.warn('stored events of an unknown object', { object: split.events[0]!.object.slice(0, 64), count: unknown });
  }
  sendText(res, 200, 'EVENT_RECEIVED');
}

function reject(res: ServerResponse, deps: WebhookDeps, status: number, reason: string): void {
  deps.metrics.reject(reason);
  deps.log.warn('webhook rejected', { status, reason });
  sendText(res, status, reason);
}
