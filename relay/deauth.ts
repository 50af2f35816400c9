import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, readBody, sendJson, sendText } from './http';
import type { IncomingEvent } from './routing';
import type { WebhookDeps } from './webhook';

/**
 * Meta's Deauthorize Callback: a form POST with `signed_request = b64url(sig).b64url(payload)`,
 * sig = HMAC-SHA256(app secret, payload_b64), payload `{user_id, algorithm, issued_at}`. The user
 * removed the app: stored as a `permissions` event for that user's installs (so the desktop asks
 * to reconnect), and their bindings stop receiving events.
 */
export async function handleDeauthorize(req: IncomingMessage, res: ServerResponse, deps: WebhookDeps): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(req, 64 * 1024);
  } catch (e) {
    return refuse(res, deps, e instanceof BodyTooLarge ? 413 : 400, 'deauth_bad_body');
  }
  const signed = new URLSearchParams(body.toString('utf8')).get('signed_request') ?? '';
  const payload = verifySignedRequest(signed, deps.appSecret);
  if (!payload) return refuse(res, deps, 401, 'deauth_bad_signature');
  let userId = '';
  try {
    const parsed = JSON.parse(payload) as { user_id?: unknown };
    userId = typeof parsed.user_id === 'string' ? parsed.user_id : '';
  } catch {
    // fall through: no user id
  }
  if (!userId) return refuse(res, deps, 400, 'deauth_no_user');
  const event: IncomingEvent = {
    object: 'permissions',
    kind: 'permissions',
    assetId: userId,
    routeIds: [userId],
    revoked: true,
    raw: payload,
  };
  try {
    await deps.eventLog.append([event], deps.now());
  } catch (e) {
    // As for webhooks: 503 so Meta retries, never a bare 500 that reads like our bug.
    deps.log.error('commit failed', { error: (e as Error).message, events: 1 });
    return refuse(res, deps, 503, 'commit_failed');
  }
  deps.metrics.stored++;
  deps.log.info('deauthorize callback stored', { userId });
  sendJson(res, 200, { success: true });
}

/** Returns the decoded payload JSON text when the signature is right, else null. */
export function verifySignedRequest(signed: string, appSecret: string): string | null {
  const [sigB64, payloadB64, extra] = signed.split('.');
  if (!sigB64 || !payloadB64 || extra !== undefined) return null;
  const expected = createHmac('sha256', appSecret).update(payloadB64).digest();
  const given = Buffer.from(sigB64, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Buffer.from(payloadB64, 'base64url').toString('utf8');
}

function refuse(res: ServerResponse, deps: WebhookDeps, status: number, reason: string): void {
  deps.metrics.reject(reason);
  deps.log.warn('deauthorize callback rejected', { status, reason });
  sendText(res, status, reason);
}
