import { createHmac, timingSafeEqual } from 'node:crypto';
import { canSeeWaba, validateToken } from '../auth';
import type { SimContext } from '../context';
import { GraphFail } from '../errors';
import type { Req, Reply } from '../http';

const avatarPng = Buffer.from(
  // A 1×1 PNG, in hex: as base64 it reads like a Meta access token to secret scanners.
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4' +
    '890000000d4944415478da6364f8cf500f00038601805a347d6b000000004945' +
    '4e44ae426082',
  'hex',
);

/**
 * Downloads behind media URLs (meta-platform.md §5): the WhatsApp URL needs the same Bearer
 * header as the lookup and dies after 5 minutes; profile pictures are public.
 */
export async function handleMedia(sim: SimContext, req: Req): Promise<Reply> {
  const [, kind, file] = req.segments;
  if (kind === 'avatar') return { bytes: { data: avatarPng, type: 'image/png' } };
  if (kind !== 'wa' || !file) return { status: 404, text: 'Not found' };
  const media = sim.state.media.get(file);
  const exp = Number(req.url.searchParams.get('ext'));
  const hash = req.url.searchParams.get('hash') ?? '';
  const want = createHmac('sha256', sim.state.appSecret)
    .update(`${file}:${exp}`)
    .digest('hex')
    .slice(0, 24);
  if (
    !media ||
    hash.length !== want.length ||
    !timingSafeEqual(Buffer.from(hash), Buffer.from(want))
  )
    return { status: 404, text: 'Not found' };
  if (exp < sim.state.nowS()) return { status: 404, text: 'URL signature expired' };
  try {
    const token = validateToken(sim.state, req.token);
    const phone = sim.state.phones.get(media.phoneId)!;
    if (!canSeeWaba(sim.state, token, phone.wabaId)) return { status: 403, text: 'Forbidden' };
  } catch (e) {
    if (e instanceof GraphFail) return { status: 401, json: { error: e.body } };
    throw e;
  }
  return { bytes: { data: media.bytes, type: media.mimeType } };
}
