import type { IncomingMessage, ServerResponse } from 'node:http';

/** One parsed request, shared by every route. */
export interface Req {
  method: string;
  url: URL;
  /** e.g. v25.0, or null for an unversioned path. */
  version: string | null;
  /** Path segments after the version. */
  segments: string[];
  /** Query string merged with a form or JSON body (Graph accepts parameters in either). */
  params: Record<string, string>;
  /** The parsed JSON body, when there was one. */
  json: unknown;
  raw: Buffer;
  /** From `Authorization: Bearer|OAuth …` or the `access_token` parameter. */
  token: string | null;
  headers: IncomingMessage['headers'];
}

/** What a route answers; `json` is serialised, `text` is sent as is. */
export interface Reply {
  status?: number;
  json?: unknown;
  /** Already-serialised JSON (fast path for lead paging). */
  rawJson?: string;
  text?: string;
  html?: string;
  redirect?: string;
  bytes?: { data: Buffer; type: string };
  headers?: Record<string, string>;
}

const maxBody = 8 * 1024 * 1024;

export async function readRequest(req: IncomingMessage): Promise<Req> {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  const chunks: Buffer[] = [];
  let size = 0;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBody) throw new Error('body too large');
      chunks.push(chunk as Buffer);
    }
  }
  const raw = Buffer.concat(chunks);
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  let json: unknown = undefined;
  const type = String(req.headers['content-type'] ?? '');
  if (raw.length > 0) {
    if (type.includes('application/json')) {
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        json = undefined;
        params.__invalid_json = '1';
      }
      if (json && typeof json === 'object' && !Array.isArray(json)) {
        for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
          params[k] = typeof v === 'string' ? v : JSON.stringify(v);
        }
      }
    } else if (type.includes('application/x-www-form-urlencoded') || type === '') {
      for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) params[k] = v;
    }
  }
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let version: string | null = null;
  if (segments[0] && /^v\d+\.\d+$/.test(segments[0])) version = segments.shift()!;
  const auth = String(req.headers.authorization ?? '');
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth);
  const token = m ? m[1]!.trim() : (params.access_token ?? null);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    version,
    segments,
    params,
    json,
    raw,
    token,
    headers: req.headers,
  };
}

export function writeReply(
  res: ServerResponse,
  reply: Reply,
  baseHeaders: Record<string, string>,
): void {
  const headers: Record<string, string> = { ...baseHeaders, ...reply.headers };
  const status = reply.status ?? 200;
  if (reply.redirect) {
    res.writeHead(302, { ...headers, location: reply.redirect });
    res.end();
    return;
  }
  if (reply.html !== undefined) {
    res.writeHead(status, { ...headers, 'content-type': 'text/html; charset=utf-8' });
    res.end(reply.html);
    return;
  }
  if (reply.bytes) {
    res.writeHead(status, {
      ...headers,
      'content-type': reply.bytes.type,
      'content-length': String(reply.bytes.data.length),
    });
    res.end(reply.bytes.data);
    return;
  }
  if (reply.text !== undefined) {
    res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end(reply.text);
    return;
  }
  const body = reply.rawJson ?? JSON.stringify(reply.json ?? null);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

export function intParam(params: Record<string, string>, name: string, fallback: number): number {
  const v = params[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

/** A parameter that may arrive as a JSON string (query/form) or as an object (JSON body). */
export function jsonParam(params: Record<string, string>, name: string): unknown {
  const v = params[name];
  if (v === undefined) return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
