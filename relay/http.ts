import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

export class BodyTooLarge extends Error {}

/** Reads the raw body, refusing (without buffering further) once it exceeds `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    });
    // After a refusal, concat would still allocate `size` (over-limit) zeroed bytes for nothing.
    req.on('end', () => {
      if (!refused) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Error bodies: `{error: {code, message}}`; codes are listed in docs/relay-protocol.md. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

/** Parses a small JSON request body with a schema; answers 400 itself and returns null on failure. */
export async function readJson<S extends z.ZodType>(
  req: IncomingMessage,
  res: ServerResponse,
  schema: S,
): Promise<z.infer<S> | null> {
  let body: Buffer;
  try {
    body = await readBody(req, 64 * 1024);
  } catch (e) {
    if (e instanceof BodyTooLarge) sendError(res, 413, 'too_large', 'Request body is too large.');
    else sendError(res, 400, 'bad_request', 'Could not read the request body.');
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    sendError(res, 400, 'invalid_input', 'Body is not JSON.');
    return null;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    sendError(res, 400, 'invalid_input', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return null;
  }
  return parsed.data;
}

export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
