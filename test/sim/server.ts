import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimContext, SimSettings } from './context';
import { Control } from './control';
import { FaultTable } from './faults';
import { errorReply, handleGraph, traceId } from './graph';
import { readRequest, writeReply, type Reply } from './http';
import { handleControl } from './routes/control';
import { handleMedia } from './routes/media';
import { handleDialog } from './routes/oauthDialog';
import { SimState } from './state';
import { WebhookSender, type DeliveryRecord } from './webhooks';

export interface SimulatorOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  host?: string;
  appId?: string;
  appSecret: string;
  /** Where webhooks go (the relay's /webhooks/meta); null = record only. */
  webhookUrl?: string | null;
  /** Deauthorize Callback URL; default: webhookUrl + '/deauthorize' when webhookUrl is set. */
  deauthorizeUrl?: string | null;
  /** Fixed seed → identical ids, tokens and scenario data. Default 1. */
  seed?: number;
  /** Wall clock in ms (tests may pass their own); control.advanceTime() adds to it. */
  clock?: () => number;
  /** Webhook retry base delay (default 1000 ms; tests use a few ms). */
  webhookRetryBaseMs?: number;
  webhookMaxAttempts?: number;
  /** > 0: webhook entries within this window are batched into one delivery. */
  webhookBatchWindowMs?: number;
  oauthAutoApprove?: boolean;
  /** Meta's "Require App Secret" switch: calls need appsecret_proof (meta-platform.md §1.5). */
  requireAppSecretProof?: boolean;
  /** The app's "Valid OAuth Redirect URIs" (exact match, as Strict Mode); default: any http(s). */
  redirectUris?: string[];
  whatsappAutoStatuses?: boolean;
  whatsappWindowErrors?: 'sync' | 'webhook';
  /** Version put into generated URLs (paging.next) when a request came unversioned. */
  defaultVersion?: string;
}

export interface Simulator {
  /** Base URL serving the Graph API (any /vNN.N/ prefix or none) and the login dialog. */
  url: string;
  port: number;
  appId: string;
  control: Control;
  /** Webhook deliveries so far (also `GET /_sim/webhooks`). */
  deliveries(): DeliveryRecord[];
  /** Resolves when no webhook delivery is in flight. */
  webhooksIdle(): Promise<void>;
  context: SimContext;
  close(): Promise<void>;
}

export async function createSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const appId = opts.appId ?? '1234567890123456';
  const state = new SimState(appId, opts.appSecret, opts.seed ?? 1, opts.clock);
  const webhooks = new WebhookSender({
    url: opts.webhookUrl ?? null,
    appSecret: opts.appSecret,
    retryBaseMs: opts.webhookRetryBaseMs,
    maxAttempts: opts.webhookMaxAttempts,
    batchWindowMs: opts.webhookBatchWindowMs,
    now: () => state.nowMs(),
  });
  const settings: SimSettings = {
    oauthAutoApprove: opts.oauthAutoApprove ?? false,
    browserUserId: null,
    redirectUris: opts.redirectUris ?? null,
    requireAppSecretProof: opts.requireAppSecretProof ?? false,
    deauthorizeUrl:
      opts.deauthorizeUrl !== undefined
        ? opts.deauthorizeUrl
        : opts.webhookUrl
          ? `${opts.webhookUrl.replace(/\/+$/, '')}/deauthorize`
          : null,
    whatsappAutoStatuses: opts.whatsappAutoStatuses ?? true,
    whatsappWindowErrors: opts.whatsappWindowErrors ?? 'sync',
    usage: { call_count: 1, total_cputime: 1, total_time: 1 },
  };
  let baseUrl = '';
  const sim = {
    state,
    webhooks,
    faults: new FaultTable(),
    baseUrl: () => baseUrl,
    defaultVersion: opts.defaultVersion ?? 'v25.0',
    settings,
  } as Omit<SimContext, 'control'> as SimContext;
  sim.control = new Control(sim);

  const server: Server = createServer((req, res) => {
    void (async () => {
      let reply: Reply;
      let version: string | null = null;
      try {
        const r = await readRequest(req);
        version = r.version;
        const first = r.segments[0];
        if (first === '_sim') reply = await handleControl(sim, r);
        else if (first === '_media') reply = await handleMedia(sim, r);
        else if (first === 'dialog' && r.segments[1] === 'oauth') reply = handleDialog(sim, r);
        else reply = await handleGraph(sim, r);
      } catch (e) {
        reply = errorReply(500, {
          message: `Simulator error: ${e instanceof Error ? e.message : String(e)}`,
          type: 'OAuthException',
          code: 2,
          is_transient: true,
        });
      }
      writeReply(res, reply, {
        'x-fb-trace-id': traceId(),
        'x-fb-rev': '1000000',
        'facebook-api-version': version ?? sim.defaultVersion,
        'cache-control': 'private, no-cache, no-store, must-revalidate',
      });
    })();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${opts.host ?? '127.0.0.1'}:${port}`;

  return {
    url: baseUrl,
    port,
    appId,
    control: sim.control,
    deliveries: () => webhooks.records,
    webhooksIdle: () => webhooks.idle(),
    context: sim,
    close: async () => {
      webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
