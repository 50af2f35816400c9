/**
 * The benchmarks' raw-socket load generator (test/bench/loadgen.ts) against real node:http servers
 * on loopback: every request arrives whole, every answer is counted under its status, whatever
 * the server's body framing (Content-Length, chunked) or connection handling (keep-alive, close).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../bench/loadgen';

let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(null));
  server = null;
});

async function serve(handler: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void): Promise<string> {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const request = (i: number) => ({ path: `/hook?i=${i}`, body: JSON.stringify({ i, text: 'ä'.repeat(i % 5) }), headers: { 'x-sig': `s${i}` } });

describe('load generator', () => {
  it('delivers every request whole and counts Content-Length answers by status', async () => {
    const seen = new Set<number>();
    const url = await serve((req, body, res) => {
      const { i } = JSON.parse(body) as { i: number };
      const whole = req.headers['x-sig'] === `s${i}` && req.url === `/hook?i=${i}` && Number(req.headers['content-length']) === Buffer.byteLength(body);
      if (whole) seen.add(i);
      const status = i % 4 === 0 ? 401 : 200;
      res.writeHead(status, { 'content-length': 2 });
      res.end('ok');
    });
    const answered: number[] = [];
    const res = await runLoad({ url, total: 400, concurrency: 8, request, onResponse: (i) => answered.push(i) });
    expect(seen.size).toBe(400);
    expect(res.statuses).toEqual({ 200: 300, 401: 100 });
    expect(res.ok).toBe(300);
    expect(answered.sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });

  it('reads chunked answers split across writes without losing the next answer', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('EVENT_');
      setImmediate(() => res.end('RECEIVED'));
    });
    const res = await runLoad({ url, total: 200, concurrency: 4, request });
    expect(res.statuses).toEqual({ 200: 200 });
  });

  it('reconnects when the server closes the connection after an answer', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(200, { connection: 'close', 'content-length': 0 });
      res.end();
    });
    const res = await runLoad({ url, total: 50, concurrency: 2, request });
    expect(res.statuses).toEqual({ 200: 50 });
  });

  it('counts a refused connection as status 0 instead of hanging', async () => {
    const url = await serve((_req, _body, res) => res.end());
    server!.closeAllConnections();
    await new Promise((r) => server!.close(r));
    server = null;
    const res = await runLoad({ url, total: 3, concurrency: 1, request });
    expect(res.statuses).toEqual({ 0: 3 });
  });
});
