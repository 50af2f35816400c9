import { join } from 'node:path';
import { createDispatch, type Dispatch, type Handlers } from './api/dispatch';
import type { CoreConfig } from './config';
import { EventBus } from './events';
import type { Clock, Logger, Notifier, OpenExternal, TokenStore } from './ports';
import { systemClock } from './ports';
import { openDatabase, type Db } from './store/db';
import { getLeadRow } from './store/leads';
import { createInbox } from './inbox/index';
import { createConversions } from './conversions/index';
import { createSpeedToLead } from './speedToLead/index';
import { GraphClient } from './graph/client';
import { IngestRegistry } from './ingest/registry';
import { registerConversations } from './conversations/index';
import { ApiError, defaultSettings } from '../../shared/index';

function notReady(): never {
  throw new ApiError({ code: 'internal', message: 'Not available in this build yet.' });
}

export interface CoreDeps {
  config: CoreConfig;
  tokens: TokenStore;
  notifier: Notifier;
  openExternal: OpenExternal;
  logger: Logger;
  clock?: Clock;
}

export interface Core {
  readonly db: Db;
  readonly events: EventBus;
  readonly dispatch: Dispatch;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the whole desktop core from its ports. Nothing runs until start(); stop() leaves the
 * database closed cleanly so the next start finds no half-written state.
 */
export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? systemClock;
  const db = openDatabase(join(deps.config.dataDir, 'lead-inbox.sqlite'));
  const events = new EventBus();
  const inbox = createInbox({ db, events, notifier: deps.notifier, clock, logger: deps.logger, dataDir: deps.config.dataDir });
  const graph = new GraphClient({ baseUrl: deps.config.graphApiUrl, version: deps.config.graphVersion });
  const conversions = createConversions({ db, graph, tokens: deps.tokens, events, clock, logger: deps.logger });
  const speedToLead = createSpeedToLead({ db, events, notifier: deps.notifier, clock, logger: deps.logger });
  const registry = new IngestRegistry();
  const conversations = registerConversations({
    db, registry, graph, tokens: deps.tokens, events, notifier: deps.notifier, clock, logger: deps.logger, dataDir: deps.config.dataDir,
  });

  const handlers: Handlers = {
    ...inbox.handlers,
    ...conversions.handlers,
    ...speedToLead.handlers,
    ...conversations.handlers,
    'connection.status': () => ({
      state: 'offline',
      relayUrl: deps.config.relayUrl,
      connectedSince: null,
      lastEventAt: null,
      backlog: 0,
      pendingLeads: 0,
      facebookConnected: false,
      message: null,
    }),
    // Published API, handlers land in the next commits (connect, sync, settings modules).
    'pages.list': () => ({ pages: [] }),
    'pages.setEnabled': () => notReady(),
    'sync.now': () => ({ pages: [] }),
    'auth.connectFacebook': () => notReady(),
    'auth.cancelConnect': () => ({ cancelled: false }),
    'auth.disconnect': () => notReady(),
    'accounts.list': () => ({ accounts: [] }),
    'whatsapp.connect': () => notReady(),
    'whatsapp.list': () => ({ numbers: [] }),
    'whatsapp.disconnect': () => notReady(),
    'settings.get': () => defaultSettings,
    'settings.update': () => defaultSettings,
  };

  const dispatch = createDispatch(handlers, (method, error) =>
    deps.logger.error('api call failed', { method, error: String(error) }),
  );
  void clock;
  void getLeadRow;

  return {
    db,
    events,
    dispatch,
    async start() {
      inbox.start();
      conversions.start();
      speedToLead.start();
      await conversations.start();
    },
    async stop() {
      inbox.stop();
      speedToLead.stop();
      await conversions.stop();
      await conversations.stop();
      db.close();
    },
  };
}
