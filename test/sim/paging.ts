import type { SimContext } from './context';
import type { Req } from './http';

/**
 * Cursor paging for small in-memory lists (pages, forms, conversations, templates): cursors are
 * the base64 of the item id, `next` is absent on the last page, and carries access_token like
 * Meta's does (our GraphClient strips it and sends the header instead).
 */
export function pageList<T extends { id: string }>(
  sim: SimContext,
  req: Req,
  items: readonly T[],
  render: (item: T) => unknown,
  defaultLimit = 25,
): { data: unknown[]; paging?: unknown } {
  const limit = Math.max(
    1,
    Math.min(Number(req.params.limit ?? defaultLimit) || defaultLimit, 5000),
  );
  let start = 0;
  if (req.params.after) {
    const afterId = Buffer.from(req.params.after, 'base64url').toString('utf8');
    const i = items.findIndex((x) => x.id === afterId);
    start = i >= 0 ? i + 1 : items.length;
  }
  const slice = items.slice(start, start + limit);
  if (slice.length === 0) return { data: [] };
  const paging: Record<string, unknown> = {
    cursors: { before: cursorOf(slice[0]!.id), after: cursorOf(slice[slice.length - 1]!.id) },
  };
  if (start + limit < items.length)
    paging.next = nextUrl(sim, req, { after: cursorOf(slice[slice.length - 1]!.id) });
  return { data: slice.map(render), paging };
}

export function cursorOf(id: string): string {
  return Buffer.from(id).toString('base64url');
}

/** The same request with new paging parameters, absolute, versioned, with access_token. */
export function nextUrl(sim: SimContext, req: Req, set: Record<string, string>): string {
  const url = new URL(
    `${sim.baseUrl()}/${req.version ?? sim.defaultVersion}/${req.segments.map(encodeURIComponent).join('/')}`,
  );
  for (const [k, v] of Object.entries(req.params)) {
    if (k === 'after' || k === 'before' || k.startsWith('__')) continue;
    url.searchParams.set(k, v);
  }
  if (req.token && !url.searchParams.has('access_token'))
    url.searchParams.set('access_token', req.token);
  for (const [k, v] of Object.entries(set)) url.searchParams.set(k, v);
  return url.toString();
}
