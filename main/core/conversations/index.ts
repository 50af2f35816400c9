import { join } from 'node:path';
import type { EventBus } from '../events';
import type { GraphClient } from '../graph/client';
import type { IngestRegistry } from '../ingest/registry';
import type { Clock, Logger, Notifier, TokenStore } from '../ports';
import type { Db } from '../store/db';
import { backfillConversations, type BackfillResult } from './backfill';
import { createThreadHandlers, type ThreadHandlers } from './handlers';
import { createMessagingHandler } from './ingestMessenger';
import { createWhatsAppHandler } from './ingestWhatsApp';
import { refreshLead, sweepLeads } from './leadLinks';
import { createMediaCache } from './media';
import { createOutbox, type Outbox } from './outbox';
import { Changes, createPublisher, type NotificationPrefs } from './publish';
import { createProfileFetcher } from './profiles';
import type { Settings } from '../../../shared/index';
import { inQuietHours } from '../leads/notifyLead';
import { readConversationSettings } from './settings';

export interface ConversationsDeps {
  db: Db;
  registry: IngestRegistry;
  graph: GraphClient;
  tokens: TokenStore;
  events: EventBus;
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  /** The app's settings (notifications on / previews / quiet hours); all on when absent. */
  settings?: () => Settings;
  /** Run the Messenger / Instagram backfill on start (default true). */
  backfillOnStart?: boolean;
  /** Until when the relay has delivered every webhook it accepted (RelayStream.deliveredUntil). */
  relayDeliveredUntil?: () => number | null;
  mediaCapBytes?: number;
}

export interface Conversations {
  handlers: ThreadHandlers;
  outbox: Outbox;
  /** Resumes the reply outbox, indexes leads for linking, backfills Messenger history. */
  start(): Promise<void>;
  /** Resolves when profile lookups, the notifications waiting for them, the lead index sweep and read receipts are done (tests). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires conversations into the core: ingest handlers for page / instagram / whatsapp entries,
 * the API handlers, the durable reply outbox and the media cache.
 */
export function registerConversations(deps: ConversationsDeps): Conversations {
  const { db, clock, logger } = deps;
  const basePublish = createPublisher({
    db,
    events: deps.events,
    notifier: deps.notifier,
    logger,
    prefs: () => notificationPrefs(deps.settings?.(), clock.now()),
  });
  const profiles = createProfileFetcher({
    db,
    graph: deps.graph,
    tokens: deps.tokens,
    logger,
    onNamed: (threadId) => basePublish(new Changes().thread(threadId)),
  });
  const heldNotifications = new Set<Promise<void>>();
  /** Background work a caller may need finished (lead index sweep, read receipts): settled() waits for it. */
  const background = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    background.add(work);
    void work.finally(() => background.delete(work));
  };
  const publish = (c: Changes) => {
    profiles.check(c.threads);
    // A first Messenger message notifies once the person's name is known (or the lookup gave up,
    // at most 3 s), so the notification says who wrote instead of "Messenger user 1234".
    for (const [threadId, count] of c.inbound) {
      const lookup = profiles.pending(threadId);
      if (!lookup) continue;
      const later = new Changes();
      later.inbound.set(threadId, count);
      c.inbound.delete(threadId);
      const held = Promise.race([lookup, new Promise((r) => setTimeout(r, 3000).unref?.())]).then(() => basePublish(later));
      heldNotifications.add(held);
      void held.finally(() => heldNotifications.delete(held));
    }
    basePublish(c);
  };
  deps.registry.register('page', createMessagingHandler({ channel: 'messenger', clock, publish }));
  deps.registry.register('instagram', createMessagingHandler({ channel: 'instagram', clock, publish }));
  deps.registry.register('whatsapp', createWhatsAppHandler({ clock, publish }));

  const outbox = createOutbox({
    db,
    graph: deps.graph,
    tokens: deps.tokens,
    clock,
    logger,
    publish,
    settings: () => readConversationSettings(db),
  });
  const media = createMediaCache({
    db,
    graph: deps.graph,
    tokens: deps.tokens,
    clock,
    dir: join(deps.dataDir, 'media'),
    capBytes: deps.mediaCapBytes,
  });

  const unsubscribe: (() => void)[] = [];
  let stopped = false;
  let backfilling: Promise<unknown> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  // One run at a time; a request during a run queues exactly one more (cursors make reruns cheap).
  const backfill = (): Promise<BackfillResult> => {
    if (backfilling) {
      again = true;
      return backfilling as Promise<BackfillResult>;
    }
    const run = backfillConversations({ db, graph: deps.graph, tokens: deps.tokens, clock, logger, publish, relayDeliveredUntil: deps.relayDeliveredUntil }).finally(() => {
      backfilling = null;
      if (again && !stopped) {
        again = false;
        void backfill().catch(() => undefined);
      }
    });
    backfilling = run;
    return run;
  };
  const handlers = {
    ...createThreadHandlers({ db, graph: deps.graph, tokens: deps.tokens, clock, logger, outbox, media, publish, track }),
    'threads.backfill': () => backfill(),
  } satisfies ThreadHandlers;
  return {
    handlers,
    outbox,
    async start() {
      stopped = false;
      const onLead = ({ lead }: { lead: { id: string } }) => refreshLead(db, lead.id, clock.now());
      unsubscribe.push(deps.events.on('lead.received', onLead), deps.events.on('lead.updated', onLead));
      if (deps.backfillOnStart !== false) {
        // A page just enabled (or reconnected) gets its Messenger / Instagram history.
        unsubscribe.push(
          deps.events.on('pages.changed', () => {
            if (timer) clearTimeout(timer);
            timer = setTimeout(() => void backfill().catch((e: unknown) => logger.warn('conversation backfill failed', { error: String(e) })), 300);
            timer.unref?.();
          }),
        );
      }
      // A status for a message sent outside the app (the phone) never finds its row: forget it after 7 days.
      db.prepare('DELETE FROM early_statuses WHERE at < ?').run(clock.now() - 7 * 24 * 3_600_000);
      outbox.start();
      // Index leads for phone / email / name matching a batch at a time, yielding between batches.
      track(
        (async () => {
          while (!stopped && sweepLeads(db, clock.now()) > 0) await new Promise((r) => setImmediate(r));
        })().catch((e: unknown) => logger.warn('lead index sweep failed', { error: String(e) })),
      );
      if (deps.backfillOnStart !== false) {
        void backfill().catch((e: unknown) => logger.warn('conversation backfill failed', { error: String(e) }));
      }
    },
    async settled() {
      await profiles.idle();
      while (heldNotifications.size || background.size) await Promise.all([...heldNotifications, ...background]);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await backfilling?.catch(() => undefined);
      // The lead sweep stops at its next batch; a read receipt in flight finishes (each catches its own errors).
      await Promise.all([...background]);
      await profiles.idle();
      for (const u of unsubscribe.splice(0)) u();
      await outbox.stop();
    },
  };
}

/** Same policy as lead notifications: off, or inside quiet hours, means no notification at all. */
function notificationPrefs(s: Settings | undefined, now: number): NotificationPrefs {
  if (!s) return { enabled: true, previews: true };
  return { enabled: s.notifications.enabled && !inQuietHours(s, new Date(now)), previews: s.notifications.previews };
}
