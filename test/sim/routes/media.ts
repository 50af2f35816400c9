import type { SimContext } from '../context';
import type { Req, Reply } from '../http';

/** Media download (`GET {url}` from a media lookup); filled in with the WhatsApp routes. */
export async function handleMedia(_sim: SimContext, _req: Req): Promise<Reply> {
  return { status: 404, json: { error: 'not found' } };
}
