import type { SimContext } from './context';
import { fail } from './errors';
import { jsonParam, type Req, type Reply } from './http';

/**
 * Batch requests and multi-ID reads (meta-platform.md §8). Each operation runs through the full
 * Graph path (faults, token, recording), so it counts separately, as on Meta. JSONPath
 * dependencies between operations (`{result=name:$.…}`) are not supported.
 */
type RunOne = (sim: SimContext, req: Req) => Promise<Reply>;

const maxOps = 50;

function subRequest(parent: Req, method: string, relativeUrl: string, body?: string): Req {
  const url = new URL(relativeUrl.replace(/^\/+/, '/'), 'http://sim.invalid/');
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let version = parent.version;
  if (segments[0] && /^v\d+\.\d+$/.test(segments[0])) version = segments.shift()!;
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  if (body) for (const [k, v] of new URLSearchParams(body)) params[k] = v;
  return {
    ...parent,
    method: method.toUpperCase(),
    url,
    version,
    segments,
    params,
    json: undefined,
    raw: Buffer.alloc(0),
    token: params.access_token ?? parent.token,
  };
}

function bodyText(reply: Reply): string {
  return reply.rawJson ?? JSON.stringify(reply.json ?? null);
}

export async function handleBatch(sim: SimContext, req: Req, run: RunOne): Promise<Reply> {
  const ops = jsonParam(req.params, 'batch');
  if (!Array.isArray(ops))
    throw fail.param('The parameter batch is required and must be a JSON array.');
  if (ops.length > maxOps)
    throw fail.param(`Too many requests in batch message. Maximum batch size is ${maxOps}`);
  const withHeaders = req.params.include_headers !== 'false';
  const out: unknown[] = [];
  for (const op of ops as { method?: string; relative_url?: string; body?: string }[]) {
    if (!op || typeof op.relative_url !== 'string')
      throw fail.param('Each batch operation needs a relative_url.');
    const reply = await run(sim, subRequest(req, op.method ?? 'GET', op.relative_url, op.body));
    const item: Record<string, unknown> = { code: reply.status ?? 200 };
    if (withHeaders) {
      item.headers = [
        { name: 'Content-Type', value: 'text/javascript; charset=UTF-8' },
        ...Object.entries(reply.headers ?? {}).map(([name, value]) => ({ name, value })),
      ];
    }
    item.body = bodyText(reply);
    out.push(item);
  }
  return { json: out };
}

/** `GET /?ids=A,B&fields=…` → `{A: {...}, B: {...}}`; any failing id fails the whole call. */
export async function handleIds(sim: SimContext, req: Req, run: RunOne): Promise<Reply> {
  const ids = (req.params.ids ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length > maxOps)
    throw fail.param(`Too many IDs. Maximum: ${maxOps}. Provided: ${ids.length}.`);
  const out: Record<string, unknown> = {};
  for (const id of ids) {
    const params = { ...req.params };
    delete params.ids;
    const reply = await run(sim, { ...req, segments: [id], params });
    if ((reply.status ?? 200) !== 200) return reply;
    out[id] = JSON.parse(bodyText(reply));
  }
  return { json: out };
}
