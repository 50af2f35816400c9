import {
  ApiError,
  type ConnectionStatus,
  type PageSummary,
  type WhatsappNumber,
} from '../../../shared/index';
import type { Handlers } from '../api/dispatch';
import { setUpAccount } from '../auth/accountSetup';
import type { FacebookLogin } from '../auth/facebookLogin';
import { emitAccountsAndPages, type ReconnectDeps } from '../auth/needsReconnect';
import { bindPage, type PageAccessDeps } from '../auth/pageAccess';
import { handPageToOtherLogin } from '../auth/pageHandover';
import { keychainAccounts } from '../keychain/accounts';
import type { LeadFetchWorker } from '../leads/fetchWorker';
import { RelayError, type RelayApi } from '../relayClient/relayApi';
import type { SettingsService } from '../settings/settingsService';
import {
  allAccounts,
  deleteAccount,
  getAccount,
  listWhatsappNumbers,
  toAccount,
} from '../store/accounts';
import { getPage, listPageSummaries, pagesOfAccount } from '../store/pages';
import type { SyncContext } from './context';
import { subscribePage } from './subscriptions';
import type { SyncEngine } from './syncEngine';
import { checkTokenHealth } from './tokenHealth';

type Own =
  | 'pages.list'
  | 'pages.setEnabled'
  | 'sync.now'
  | 'auth.connectFacebook'
  | 'auth.cancelConnect'
  | 'auth.disconnect'
  | 'accounts.list'
  | 'whatsapp.connect'
  | 'whatsapp.list'
  | 'whatsapp.disconnect'
  | 'settings.get'
  | 'settings.update'
  | 'connection.status';
export type LeadSyncHandlers = Pick<Handlers, Own>;

export interface HandlerDeps {
  ctx: SyncContext;
  relay: RelayApi;
  login: FacebookLogin;
  sync: SyncEngine;
  worker: LeadFetchWorker;
  pageAccess: PageAccessDeps;
  status: () => ConnectionStatus;
  /** Runs work in the background that stop() waits for. */
  track: (p: Promise<unknown>) => void;
  settings: SettingsService;
  reconnectDeps: ReconnectDeps;
  enablePage: (id: string) => Promise<PageSummary>;
  disablePage: (id: string) => Promise<PageSummary>;
  connectWhatsapp: (input: {
    wabaId: string;
    phoneNumberId: string;
    token: string;
  }) => Promise<WhatsappNumber>;
  disconnectWhatsapp: (id: string) => Promise<boolean>;
}

export function createLeadSyncHandlers(d: HandlerDeps): LeadSyncHandlers {
  const { ctx } = d;
  const accounts = () => {
    const now = ctx.clock.now();
    return allAccounts(ctx.db).map((a) =>
      toAccount(ctx.db, a, now, ctx.settings().sync.tokenWarningDays),
    );
  };
  return {
    'connection.status': () => d.status(),
    'pages.list': () => ({ pages: listPageSummaries(ctx.db) }),
    'pages.setEnabled': ({ pageId, enabled }) =>
      enabled ? d.enablePage(pageId) : d.disablePage(pageId),
    'sync.now': async ({ pageId }) => {
      if (pageId) {
        if (!getPage(ctx.db, pageId))
          throw new ApiError({ code: 'not_found', message: `No Page with id ${pageId}.` });
        const r = await d.sync.syncPage(pageId);
        d.worker.wake();
        return { pages: [r] };
      }
      const r = await d.sync.reconcile();
      d.worker.wake();
      return r;
    },
    'auth.connectFacebook': async () => {
      let outcome;
      try {
        outcome = await d.login.run();
      } catch (e) {
        if (e instanceof RelayError)
          throw new ApiError({
            code: 'offline',
            message: `Facebook login needs the relay: ${e.message}`,
          });
        throw e;
      }
      if (outcome.outcome !== 'token') return outcome;
      const setup = await setUpAccount(
        { db: ctx.db, graph: ctx.graph, tokens: ctx.tokens, now: () => ctx.clock.now() },
        outcome.accessToken,
        outcome.expiresIn,
      );
      // A reconnect heals what broke: subscribe and bind the waiting pages again, fetch their leads.
      for (const pageId of setup.healedPageIds) {
        const page = getPage(ctx.db, pageId);
        const token = await ctx.tokens.get(keychainAccounts.page(pageId));
        if (!page || !token) continue;
        await subscribePage(ctx, pageId, token).catch((e: unknown) =>
          ctx.log.warn('resubscribe failed', { pageId, error: String(e) }),
        );
        await bindPage(d.pageAccess, page, token);
        d.pageAccess.startSync(pageId);
      }
      d.worker.wake();
      d.track(
        checkTokenHealth(ctx, d.relay, () => undefined, true).then(() =>
          emitAccountsAndPages(d.reconnectDeps),
        ),
      );
      emitAccountsAndPages(d.reconnectDeps);
      const account = accounts().find((a) => a.id === setup.accountId)!;
      return { outcome: 'connected' as const, account, pagesFound: setup.pagesFound };
    },
    'auth.cancelConnect': () => ({ cancelled: d.login.cancel() }),
    'auth.disconnect': async ({ accountId }) => {
      if (!getAccount(ctx.db, accountId))
        throw new ApiError({
          code: 'not_found',
          message: 'No connected Facebook account with this id.',
        });
      const pages = pagesOfAccount(ctx.db, accountId);
      let removed = 0;
      for (const p of pages) {
        if (await handPageToOtherLogin(d.pageAccess, p, accountId)) continue;
        removed++;
        if (p.enabled)
          await d
            .disablePage(p.id)
            .catch((e: unknown) =>
              ctx.log.warn('disable on disconnect failed', { pageId: p.id, error: String(e) }),
            );
        await ctx.tokens.delete(keychainAccounts.page(p.id));
      }
      await ctx.tokens.delete(keychainAccounts.user(accountId));
      deleteAccount(ctx.db, accountId);
      emitAccountsAndPages(d.reconnectDeps);
      return { removedPages: removed };
    },
    'accounts.list': () => ({ accounts: accounts() }),
    'whatsapp.connect': async (input) => {
      const n = await d.connectWhatsapp(input);
      ctx.events.emit('whatsapp.changed', { numbers: listWhatsappNumbers(ctx.db) });
      return n;
    },
    'whatsapp.list': () => ({ numbers: listWhatsappNumbers(ctx.db) }),
    'whatsapp.disconnect': async ({ phoneNumberId }) => {
      const removed = await d.disconnectWhatsapp(phoneNumberId);
      ctx.events.emit('whatsapp.changed', { numbers: listWhatsappNumbers(ctx.db) });
      return { removed };
    },
    'settings.get': () => d.settings.get(),
    'settings.update': (patch) => d.settings.update(patch),
  };
}
