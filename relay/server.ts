import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { handleInstallApi, handleOAuthCallback, handleRegister, type ApiDeps } from './api';
import { BindingIndex } from './bindings';
import { CommitWorker } from './commitWorker';
import { openRelayDb, RELAY_DB_FILE } from './db';
import { handleDeauthorize } from './deauth';
import { EventLog } from './eventLog';
import { sendError, sendJson, sendText, clientIp } from './http';
import { InstallRegistry } from './installs';
import { jsonLogger, type Logger } from './logger';
import { MetaGraph } from './metaGraph';
import { Metrics } from './metrics';
import { collectMetrics } from './metricsRoute';
import { OAuthFlows } from './oauth';
import { RateLimiter, type RateLimit } from './rateLimit';
import { sweepRetention } from './retention';
import { StreamHub } from './stream';
import { handleDelivery, handleVerification, MAX_WEBHOOK_BYTES, type WebhookDeps } from './webhook';

export interface RelayOptions {
  /** 0 = an ephemeral port (tests). */
  port?: number;
  host?: string;
  dataDir: string;
  appId: string;
  appSecret: string;
  verifyToken: string;
  graphApiUrl: string;
  graphVersion?: string;
  /** Public base URL Meta and browsers reach (OAuth redirect); defaults to the listening URL. */
  publicUrl?: string;
  /** Unacked events are kept this long (default 7 days). */
  retentionMs?: number;
  /** Acked events are removed after this grace period (default 10 minutes). */
  ackGraceMs?: number;
  heartbeatMs?: number;
  /** Unacked events in flight per install (default 256). */
  window?: number;
  maxBufferedBytes?: number;
  maxBodyBytes?: number;
  /** Per-IP limits: `webhook` for /webhooks/meta, `public` for registration, OAuth callback, stream. */
  rateLimits?: { webhook?: RateLimit; public?: RateLimit };
  log?: Logger;
  now?: () => number;
}

export interface Relay {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const defaultRateLimits = {
  webhook: { ratePerSec: 20_000, burst: 20_000 },
  public: { ratePerSec: 20, burst: 200 },
} satisfies Record<string, RateLimit>;

export async function createRelay(opts: RelayOptions): Promise<Relay> {
  const log = opts.log ?? jsonLogger();
  const now = opts.now ?? Date.now;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const retentionMs = opts.retentionMs ?? 7 * 24 * 3600_000;
  const ackGraceMs = opts.ackGraceMs ?? 10 * 60_000;
  const db = openRelayDb(opts.dataDir);
  const metrics = new Metrics();
  const installs = new InstallRegistry(db);
  const bindings = new BindingIndex(db);
  let hub: StreamHub | null = null;
  const worker = new CommitWorker(join(opts.dataDir, RELAY_DB_FILE), (error) => log.error('commit worker failed', { error }));
  const eventLog = new EventLog(db, worker, installs, bindings, (report) => {
    if (report.unbound > 0) log.info('bindings dropped by deauthorisation', { count: report.unbound });
    hub?.wake(report.heads.keys());
  });
  hub = new StreamHub(eventLog, installs, metrics, log, {
    window: opts.window ?? 256,
    maxBufferedBytes: opts.maxBufferedBytes ?? 1024 * 1024,
    heartbeatMs,
  }, now);
  const stream = hub;
  const webhookLimiter = new RateLimiter(opts.rateLimits?.webhook ?? defaultRateLimits.webhook);
  const publicLimiter = new RateLimiter(opts.rateLimits?.public ?? defaultRateLimits.public);
  const webhookDeps: WebhookDeps = {
    appSecret: opts.appSecret,
    verifyToken: opts.verifyToken,
    eventLog,
    metrics,
    log,
    now,
    maxBodyBytes: opts.maxBodyBytes ?? MAX_WEBHOOK_BYTES,
  };
  const apiDeps: ApiDeps = {
    installs,
    bindings,
    graph: new MetaGraph(opts.graphApiUrl, opts.graphVersion ?? 'v25.0', opts.appId, opts.appSecret),
    oauth: new OAuthFlows(),
    log,
    now,
    publicUrl: '',
  };

  const healthCheck = db.prepare('SELECT 1 AS ok');
  let closing = false;
  let inFlight = 0;
  const limited = (limiter: RateLimiter, req: IncomingMessage, res: ServerResponse): boolean => {
    if (limiter.take(clientIp(req), now())) return false;
    metrics.rateLimited++;
    res.setHeader('retry-after', '1');
    sendError(res, 429, 'rate_limited', 'Too many requests; slow down.');
    return true;
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://relay');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/healthz') {
      if (closing) return sendText(res, 503, 'shutting down');
      // Serving means the store answers, not just that the socket is open.
      const storeOk = (() => {
        try {
          return healthCheck.get() !== undefined;
        } catch {
          return false;
        }
      })();
      return storeOk ? sendJson(res, 200, { ok: true }) : sendText(res, 503, 'store unavailable');
    }
    if (path === '/metrics') {
      // Public and not free (COUNT(*) over the log on the event loop): limited like registration.
      if (limited(publicLimiter, req, res)) return;
      return sendText(res, 200, collectMetrics(db, metrics, installs, stream, eventLog, now()), 'text/plain; version=0.0.4');
    }
    if (closing) return sendError(res, 503, 'shutting_down', 'The relay is restarting; retry.');
    if (path === '/webhooks/meta/deauthorize' && method === 'POST') {
      if (limited(webhookLimiter, req, res)) return;
      return handleDeauthorize(req, res, webhookDeps);
    }
    if (path === '/webhooks/meta') {
      if (limited(webhookLimiter, req, res)) return;
      if (method === 'GET') return handleVerification(url, res, webhookDeps);
      if (method === 'POST') return handleDelivery(req, res, webhookDeps);
      return sendError(res, 405, 'method_not_allowed', 'GET or POST.');
    }
    if (method === 'POST' && path === '/v1/installs') {
      if (limited(publicLimiter, req, res)) return;
      return handleRegister(res, apiDeps);
    }
    if (method === 'GET' && path === '/oauth/callback') {
      if (limited(publicLimiter, req, res)) return;
      return handleOAuthCallback(url, res, apiDeps);
    }
    if (await handleInstallApi(method, path, req, res, apiDeps)) return;
    sendError(res, 404, 'not_found', 'No such endpoint.');
  }

  const server = createServer((req, res) => {
    inFlight++;
    res.on('close', () => inFlight--);
    route(req, res).catch((e: unknown) => {
      log.error('request failed', { path: (req.url ?? '').split('?')[0], error: (e as Error).message });
      if (!res.headersSent) sendError(res, 500, 'internal', 'Internal error.');
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    if (closing || path !== '/v1/stream') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    if (!publicLimiter.take(clientIp(req), now()) && !installs.authenticate(req.headers.authorization)) {
      metrics.rateLimited++;
      socket.end('HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    stream.upgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  apiDeps.publicUrl = (opts.publicUrl ?? url).replace(/\/+$/, '');

  const sweep = () => {
    try {
      const r = sweepRetention(db, installs, log, now(), retentionMs, ackGraceMs);
      metrics.droppedRetention += r.unackedDropped;
      webhookLimiter.prune(now());
      publicLimiter.prune(now());
    } catch (e) {
      log.error('retention sweep failed', { error: (e as Error).message });
    }
  };
  const sweepTimer = setInterval(sweep, Math.min(ackGraceMs, 60_000));
  sweepTimer.unref();
  const ackTimer = setInterval(() => installs.flushAcks(), 1000);
  ackTimer.unref();
  log.info('relay listening', { port, installs: installs.ids().length, bindings: bindings.count() });

  return {
    url,
    port,
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(sweepTimer);
      clearInterval(ackTimer);
      stream.closeAll();
      // Finish in-flight webhook commits so every request we started gets its 200.
      const deadline = Date.now() + 5000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await eventLog.drain();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      await eventLog.drain();
      await worker.close();
      installs.flushAcks();
      db.close();
      log.info('relay stopped');
    },
  };
}
