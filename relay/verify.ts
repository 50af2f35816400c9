import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>` over the raw body bytes, before any parse:
 * Meta signs the body as sent (non-ASCII escaped), so re-serialised JSON would not match.
 */
export function verifySignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header || !header.startsWith('sha256=')) return false;
  const given = header.slice('sha256='.length).trim();
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

export function signBody(rawBody: Buffer | string, appSecret: string): string {
  return 'sha256=' + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/**
 * Meta's subscription handshake: `hub.mode=subscribe` with our verify token → echo the challenge
 * as the raw body. Returns the challenge, or null for anything else (answered 403).
 */
export function verifyChallenge(query: URLSearchParams, verifyToken: string): string | null {
  if (query.get('hub.mode') !== 'subscribe') return null;
  const token = query.get('hub.verify_token') ?? '';
  const challenge = query.get('hub.challenge');
  if (challenge === null || !constantTimeEqual(token, verifyToken)) return null;
  return challenge;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  // timingSafeEqual needs equal lengths; compare against self to keep the time flat on mismatch.
  if (ab.length !== bb.length) return timingSafeEqual(bb, bb) && false;
  return timingSafeEqual(ab, bb);
}
