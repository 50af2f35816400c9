import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostClientFrame, HostServerFrame } from '../../shared/index';
import type { Core } from '../core/app';

export interface HostOptions {
  core: Pick<Core, 'dispatch' | 'events'>;
  /** 0 = any free port. The host only ever listens on loopback. */
  port?: number;
  /** The built renderer (vite build output). */
  staticDir?: string;
  /** Where export.start writes files; served read-only at /exports/<name> to holders of the token. */
  exportsDir?: string;
}

export interface Host {
  /** Open this in a browser: carries the per-run token the renderer uses for its socket. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const mime: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Largest frame a renderer may send (a bulk edit of 200 ids is a few KB). */
const maxFrameBytes = 1024 * 1024;

/**
 * The Node host: the built renderer over loopback HTTP, and the core's API over a WebSocket at
 * /api. The socket is refused before the upgrade unless it carries this run's random token (so other
 * local users' processes and web pages cannot drive the API) and comes from our own origin.
 */
export async function startHost(opts: HostOptions): Promise<Host> {
  const staticDir = resolve(opts.staticDir ?? 'dist/renderer');
  const token = randomBytes(32).toString('base64url');
  const sockets = new Set<WebSocket>();
  let origin = '';

  const server = createServer((req, res) => {
    try {
      serveHttp(req, res);
    } catch {
      res.writeHead(500).end();
    }
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });

  const headers = (): Record<string, string> => ({
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      `connect-src ${origin.replace(/^http/, 'ws')}/api`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });

  // DNS rebinding: a page on evil.example resolving to 127.0.0.1 would send its own Host header.
  const hostAllowed = (req: IncomingMessage) => req.headers.host === new URL(origin).host || req.headers.host === `localhost:${new URL(origin).port}`;

  function serveHttp(req: IncomingMessage, res: ServerResponse) {
    if (!hostAllowed(req) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 421 : 405).end();
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/exports/')) return serveExport(url, res);
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = resolve(join(staticDir, rel));
    if (!file.startsWith(staticDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...headers() }).end('Not found');
      return;
    }
    const isIndex = file.endsWith('index.html');
    res.writeHead(200, {
      'Content-Type': mime[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': isIndex ? 'no-store' : 'max-age=3600',
      ...headers(),
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  function serveExport(url: URL, res: ServerResponse) {
    const name = basename(decodeURIComponent(url.pathname.slice('/exports/'.length)));
    const file = opts.exportsDir ? join(opts.exportsDir, name) : '';
    if (!tokenMatches(url.searchParams.get('token')) || !file || !/^leads-[\w-]+\.(csv|vcf)$/.test(name) || !existsSync(file)) {
      res.writeHead(404, headers()).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'text/vcard; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      ...headers(),
    });
    createReadStream(file).pipe(res);
  }

  function tokenMatches(given: string | null): boolean {
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const originOk = !req.headers.origin || req.headers.origin === origin || req.headers.origin === `http://localhost:${new URL(origin).port}`;
    if (url.pathname !== '/api' || !hostAllowed(req) || !originOk || !tokenMatches(url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // An oversized or broken frame makes ws emit 'error' (then close); unhandled, it would crash the host.
      ws.on('error', () => ws.terminate());
      ws.on('message', (data) => void onFrame(ws, data.toString()));
    });
  });

  async function onFrame(ws: WebSocket, text: string) {
    let frame: HostClientFrame;
    try {
      frame = JSON.parse(text) as HostClientFrame;
      if (typeof frame !== 'object' || frame === null || typeof frame.id !== 'number') throw new Error('bad frame');
    } catch {
      ws.close(1003, 'Malformed frame');
      return;
    }
    const result = await opts.core.dispatch(frame.method, frame.input);
    send(ws, { id: frame.id, result });
  }

  const send = (ws: WebSocket, frame: HostServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const offEvents = opts.core.events.onAny((event, payload) => {
    for (const ws of sockets) send(ws, { event, payload });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/?token=${token}#/`,
    origin,
    token,
    async close() {
      offEvents();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
