import { join } from 'node:path';
import { createDispatch, type Dispatch, type Handlers } from './api/dispatch';
import type { CoreConfig } from './config';
import { EventBus } from './events';
import type { Clock, Logger, Notifier, OpenExternal, TokenStore } from './ports';
import { systemClock } from './ports';
import { openDatabase, type Db } from './store/db';
import { getLeadRow } from './store/leads';
import { createInbox } from './inbox/index';
import type { SearchUpkeep } from './inbox/searchUpkeep';
import { createConversions } from './conversions/index';
import { createSpeedToLead } from './speedToLead/index';
import { GraphClient } from './graph/client';
import { IngestRegistry } from './ingest/registry';
import { registerConversations } from './conversations/index';
import type { SettingsStore } from './ports';
import { createSettingsService, type SettingsService } from './settings/settingsService';
import { createJsonSettingsStore } from './settings/jsonSettingsStore';
import { createLeadSync } from './sync/leadSync';
import { defaultTuning, type CoreTuning } from './tuning';

export interface CoreDeps {
  config: CoreConfig;
  tokens: TokenStore;
  notifier: Notifier;
  openExternal: OpenExternal;
  logger: Logger;
  clock?: Clock;
  /** Settings persistence; defaults to settings.json in the data folder. */
  settingsStore?: SettingsStore;
  /** Delays and sizes (tests shrink backoffs); defaults suit production. */
  tuning?: Partial<CoreTuning>;
}

export interface Core {
  readonly db: Db;
  readonly events: EventBus;
  readonly dispatch: Dispatch;
  readonly registry: IngestRegistry;
  readonly settings: SettingsService;
  /** Search index merging; settle() runs it now (benchmarks, tests). */
  readonly searchUpkeep: SearchUpkeep;
  /** The machine woke from sleep or the network came back: reconnect and catch up now. */
  wake(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the whole desktop core from its ports. Nothing runs until start(); stop() leaves the
 * database closed cleanly so the next start finds no half-written state.
 */
export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? systemClock;
  const tuning = { ...defaultTuning, ...deps.tuning };
  const db = openDatabase(join(deps.config.dataDir, 'lead-inbox.sqlite'));
  const events = new EventBus();
  const settings = createSettingsService(deps.settingsStore ?? createJsonSettingsStore(deps.config.dataDir), events);
  const inbox = createInbox({ db, events, notifier: deps.notifier, clock, logger: deps.logger, dataDir: deps.config.dataDir, settings: () => settings.get(), disconnects: { facebook: (accountId) => handlers['auth.disconnect']({ accountId }), whatsapp: (phoneNumberId) => handlers['whatsapp.disconnect']({ phoneNumberId }), conversions: () => conversions.disconnect() }, searchUpkeep: tuning.searchUpkeep });
  const graph = new GraphClient({ baseUrl: deps.config.graphApiUrl, version: deps.config.graphVersion });
  const conversions = createConversions({ db, graphApiUrl: deps.config.graphApiUrl, graphVersion: deps.config.graphVersion, tokens: deps.tokens, events, clock, logger: deps.logger });
  const speedToLead = createSpeedToLead({ db, events, notifier: deps.notifier, clock, logger: deps.logger, appSettings: () => settings.get() });
  const registry = new IngestRegistry();
  const conversations = registerConversations({
    db, registry, graph, tokens: deps.tokens, events, notifier: deps.notifier, clock, logger: deps.logger, dataDir: deps.config.dataDir,
    settings: () => settings.get(),
    // Called when a history run starts, by which time leadSync exists.
    relayDeliveredUntil: () => leadSync.stream.deliveredUntil(),
  });

  const leadSync = createLeadSync({
    db, events, registry, config: deps.config, tokens: deps.tokens, notifier: deps.notifier,
    openExternal: deps.openExternal, logger: deps.logger, clock, settings,
    tuning, clientVersion: 'lead-inbox-desktop/0.1.0',
  });

  const handlers: Handlers = {
    ...inbox.handlers,
    ...conversions.handlers,
    ...speedToLead.handlers,
    ...conversations.handlers,
    ...leadSync.handlers,
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
    registry,
    settings,
    searchUpkeep: inbox.searchUpkeep,
    wake: () => leadSync.wake(),
    async start() {
      inbox.start();
      conversions.start();
      speedToLead.start();
      await conversations.start();
      leadSync.start();
    },
    async stop() {
      await leadSync.stop();
      inbox.stop();
      speedToLead.stop();
      await conversions.stop();
      await conversations.stop();
      db.close();
    },
  };
}
