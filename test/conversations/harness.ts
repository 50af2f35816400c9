import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { threadMethods } from '../../shared/api/threads';
import type { EventName, EventPayload, Settings } from '../../shared/index';
import { registerConversations, type Conversations } from '../../main/core/conversations/index';
import { EventBus } from '../../main/core/events';
import { GraphClient } from '../../main/core/graph/client';
import { IngestRegistry } from '../../main/core/ingest/registry';
import { createKeytarTokenStore } from '../../main/core/keychain/keytarTokenStore';
import type { Logger, NotificationRequest, TokenStore } from '../../main/core/ports';
import { processEventFrame } from '../../main/core/relayClient/processFrame';
import { openDatabase, type Db } from '../../main/core/store/db';
import type { RoutingKind } from '../../shared/relay-protocol';

export const T0 = Date.parse('2026-11-20T10:00:00Z');

export interface Harness {
  db: Db;
  bus: EventBus;
  dir: string;
  clock: { now(): number; t: number };
  conv: Conversations;
  events: { name: EventName; payload: unknown }[];
  notifications: NotificationRequest[];
  warnings: string[];
  tokens: TokenStore;
  /** Sends one entry through the same path relay events take (one transaction, then after-commit). */
  feed(kind: RoutingKind, entry: unknown, object?: string): void;
  call<M extends keyof typeof threadMethods>(
    method: M,
    input: z.input<(typeof threadMethods)[M]['input']>,
  ): Promise<Awaited<ReturnType<Conversations['handlers'][M]>>>;
  eventsOf<E extends EventName>(name: E): EventPayload<E>[];
  close(): Promise<void>;
  reopen(): Harness;
}

export interface HarnessOptions {
  graphUrl?: string;
  dir?: string;
  tokenService?: string;
  clockStart?: number;
  /** Use another clock (the simulator's), so windows agree on both sides. */
  now?: () => number;
  /** The app's settings (notification previews, quiet hours). */
  settings?: () => Settings;
  /** The relay stream's word on until when its webhooks have all arrived (RelayStream.deliveredUntil). */
  relayDeliveredUntil?: () => number | null;
}

/** The conversations area over a real SQLite file, fed through the relay client's frame processor. */
export function createHarness(opts: HarnessOptions = {}): Harness {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'li-conv-'));
  const tokenService = opts.tokenService ?? `lead-inbox-test-${randomUUID()}`;
  const db = openDatabase(join(dir, 'lead-inbox.sqlite'));
  const bus = new EventBus();
  const registry = new IngestRegistry();
  const events: Harness['events'] = [];
  const notifications: NotificationRequest[] = [];
  const warnings: string[] = [];
  const clock = { t: opts.clockStart ?? T0, now: () => (opts.now ? opts.now() : clock.t) };
  const logger: Logger = {
    info: () => {},
    warn: (m) => warnings.push(m),
    error: (m) => warnings.push(m),
  };
  bus.onAny((name, payload) => events.push({ name, payload }));
  const tokens = createKeytarTokenStore(tokenService);
  const conv = registerConversations({
    db,
    registry,
    graph: new GraphClient({ baseUrl: opts.graphUrl ?? 'http://127.0.0.1:9', version: 'v25.0', timeoutMs: 5000 }),
    tokens,
    events: bus,
    notifier: { notify: (n) => notifications.push(n) },
    clock,
    logger,
    dataDir: dir,
    backfillOnStart: false,
    settings: opts.settings,
    relayDeliveredUntil: opts.relayDeliveredUntil,
  });
  let seq = Number((db.prepare(`SELECT value FROM kv WHERE key = 'relay.cursor'`).get() as { value: string } | undefined)?.value ?? 0);
  const h: Harness = {
    db,
    bus,
    dir,
    clock,
    conv,
    events,
    notifications,
    warnings,
    tokens,
    feed(kind, entry, object) {
      seq += 1;
      const after = processEventFrame(
        db,
        registry,
        {
          type: 'event',
          seq,
          receivedAt: clock.now(),
          object: object ?? (kind === 'page' ? 'page' : kind === 'instagram' ? 'instagram' : 'whatsapp_business_account'),
          kind,
          assetId: String((entry as { id?: unknown }).id ?? ''),
          raw: JSON.stringify(entry),
        },
        logger,
      );
      for (const fn of after) fn();
    },
    async call(method, input) {
      const parsed = threadMethods[method].input.parse(input);
      const handler = conv.handlers[method] as (i: unknown) => unknown;
      return (await handler(parsed)) as never;
    },
    eventsOf(name) {
      return events.filter((e) => e.name === name).map((e) => e.payload) as never;
    },
    async close() {
      await conv.stop();
      db.close();
    },
    reopen() {
      return createHarness({ ...opts, dir, tokenService, clockStart: clock.t });
    },
  };
  return h;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A lead row as the leads area writes it (only the columns linking reads). */
export function insertLead(db: Db, lead: { id: string; phone?: string; email?: string; name?: string; createdTime?: number }): void {
  db.prepare(
    `INSERT INTO leads(id, page_id, created_time, received_at, updated_at, state, full_name, email, phone)
     VALUES (?, '111', ?, ?, ?, 'complete', ?, ?, ?)`,
  ).run(lead.id, lead.createdTime ?? T0, T0, T0, lead.name ?? null, lead.email ?? null, lead.phone ?? null);
}

// ---- Meta payload builders (meta-platform.md §2.5) ----

export const PAGE = '1000000000000001';
export const IG = '17841400000000001';
export const WABA = '2000000000000001';
export const PHONE_ID = '3000000000000001';

export function messengerEntry(event: Record<string, unknown>, pageId = PAGE, time = T0) {
  return { id: pageId, time, messaging: [event] };
}

export function userMessage(psid: string, mid: string, ts: number, message: Record<string, unknown>, pageId = PAGE) {
  return { sender: { id: psid }, recipient: { id: pageId }, timestamp: ts, message: { mid, ...message } };
}

export function echo(psid: string, mid: string, ts: number, text: string, pageId = PAGE) {
  return {
    sender: { id: pageId },
    recipient: { id: psid },
    timestamp: ts,
    message: { mid, is_echo: true, app_id: 555, text },
  };
}

export function waValue(opts: { messages?: unknown[]; statuses?: unknown[]; contacts?: unknown[] }) {
  return {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550001111', phone_number_id: PHONE_ID },
    ...(opts.contacts ? { contacts: opts.contacts } : {}),
    ...(opts.messages ? { messages: opts.messages } : {}),
    ...(opts.statuses ? { statuses: opts.statuses } : {}),
  };
}

export function waEntry(...values: Record<string, unknown>[]) {
  return { id: WABA, changes: values.map((value) => ({ field: 'messages', value })) };
}

export function waMessage(from: string, id: string, tsMs: number, type: string, body: Record<string, unknown>) {
  return { from, id, timestamp: String(Math.floor(tsMs / 1000)), type, ...body };
}
