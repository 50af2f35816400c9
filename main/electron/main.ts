/**
 * Electron entry point (bundled to dist/electron/main.cjs). Wires the core to the window, tray,
 * menu, notifications and OS hooks; owns nothing but lifecycle. Order matters: sandbox, data
 * folder and single-instance lock before 'ready'; the protocol and open-url hooks early too.
 */
import { BrowserWindow, Menu, app, shell } from 'electron';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCore, type Core } from '../core/app';
import { configFromEnv } from '../core/config';
import { createKeytarTokenStore } from '../core/keychain/keytarTokenStore';
import { defaultSettings } from '../../shared/domain/settings';
import { createShellActions } from './actions';
import { createBadgeView } from './badge';
import { createDeepLinkRouter, listenForOpenUrl, registerProtocolClient } from './deepLink';
import { registerIpc } from './ipc';
import { logCrashes, openShellLog } from './logging';
import { applyStartAtLogin, wasLaunchedAtLogin } from './loginItem';
import { buildAppMenu } from './menu';
import { createNativeNotifier } from './notifier';
import { watchForWake } from './power';
import { findDeepLinkArg, parseDeepLink } from './pure/deepLink';
import { configuredOrigins } from './pure/security';
import type { ShellSettings } from './pure/shellSettings';
import { guardAllWebContents, hardenSession, openExternalSafely } from './security';
import { openShellStore } from './settingsStore';
import { createTray } from './tray';
import { startAutoUpdates } from './updater';
import { createMainWindow, revealWindow, sendNavigate } from './window';

// One folder for everything when LEAD_INBOX_DATA_DIR is set (tests, demo, portable use); it also
// scopes the single-instance lock, so a test instance never collides with the owner's app.
if (process.env.LEAD_INBOX_DATA_DIR)
  app.setPath('userData', resolve(process.env.LEAD_INBOX_DATA_DIR));
app.enableSandbox();
// Windows shows notifications only for an app with an AppUserModelID (the installer's shortcut
// carries the same id; setting it here also covers development runs).
if (process.platform === 'win32') app.setAppUserModelId('com.leadinbox.app');

if (!app.requestSingleInstanceLock()) {
  // The first instance gets our argv through 'second-instance' (focus + deep link) and we leave.
  app.quit();
} else {
  void run().catch((error: unknown) => {
    console.error('Lead Inbox failed to start:', error);
    app.exit(1);
  });
}

/** An OAuth redirect through leadinbox:// reaches the core only if it offers this hook. */
type CoreHooks = Core & { completeOAuth?: (params: Record<string, string | undefined>) => void };

async function run(): Promise<void> {
  const logger = openShellLog();
  logCrashes(logger);
  const paths = {
    preload: join(__dirname, 'preload.cjs'),
    renderer: join(__dirname, '..', 'renderer', 'index.html'),
    trayIcon: join(
      __dirname,
      'icons',
      process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png',
    ),
    appIcon: join(__dirname, 'icons', 'icon.png'),
    badgeOverlay: join(__dirname, 'icons', 'badge.png'),
  };
  const rendererUrl = pathToFileURL(paths.renderer).href;
  const store = openShellStore();
  const config = configFromEnv(process.env, { dataDir: app.getPath('userData') });
  const extraOrigins = configuredOrigins([config.relayUrl, config.dialogUrl]);
  let win: BrowserWindow | null = null;
  let core: CoreHooks | null = null;
  let quitting = false;
  // macOS delivers a launching link ('open-url') before the window exists: keep it for the window.
  let pendingRoute: string | null = null;

  const showWindow = () => win && revealWindow(win);
  const navigate = (route: string) => {
    if (!win) {
      pendingRoute = route;
      return;
    }
    revealWindow(win);
    sendNavigate(win, route);
  };
  const router = createDeepLinkRouter({
    logger,
    open: (link) => {
      if (link.kind !== 'oauth') return navigate(`${link.kind}/${link.id}`);
      showWindow();
      if (core?.completeOAuth) core.completeOAuth(link.params);
      else logger.warn('oauth redirect arrived but no sign-in is waiting');
    },
  });
  listenForOpenUrl(router);
  app.on('second-instance', (_event, argv) => {
    showWindow();
    router.handleArgv(argv);
  });
  registerProtocolClient(logger);
  guardAllWebContents(logger, () => extraOrigins);

  await app.whenReady();
  hardenSession(logger);

  const notifier = createNativeNotifier({
    // Settings live in the core (settings.json in the data folder); read at each notification.
    settings: () => core?.settings.get() ?? defaultSettings,
    open: navigate,
    windowFocused: () => !!win && !win.isDestroyed() && win.isVisible() && win.isFocused(),
    badge: createBadgeView(() => win, paths.badgeOverlay),
    logger,
  });
  core = createCore({
    config,
    // A separate keychain service keeps test or demo runs away from the owner's real entries.
    tokens: createKeytarTokenStore(process.env.LEAD_INBOX_KEYCHAIN_SERVICE || undefined),
    notifier,
    openExternal: (url) => openExternalSafely(url, logger, extraOrigins),
    logger,
  }) as CoreHooks;
  const started = core; // non-null from here on
  // The core calls notifier.notify for native notifications (and emits notification.requested
  // for browser windows, which ipc.ts does not forward here), so nothing else subscribes to it.
  const ipc = registerIpc({
    dispatch: started.dispatch,
    events: started.events,
    window: () => win,
    rendererUrl: () => rendererUrl,
    logger,
  });

  const actions = createShellActions(started, logger);
  const syncNow = actions.syncNow;
  const applyOptions = (settings: ShellSettings) => {
    applyStartAtLogin(settings.startAtLogin, logger);
    Menu.setApplicationMenu(
      buildAppMenu(settings, {
        syncNow,
        exportLeads: actions.exportLeads,
        openSettings: () => navigate('settings'),
        setOption: (patch) => applyOptions(store.update(patch)),
        openLogFolder: () => void shell.openPath(join(app.getPath('userData'), 'logs')),
      }),
    );
  };
  applyOptions(store.settings());

  const atLogin = wasLaunchedAtLogin();
  // A cold start from a link opens straight on its route (no race with the renderer's listeners).
  const launchLink = parseDeepLink(findDeepLinkArg(process.argv));
  const initialRoute =
    launchLink.ok && launchLink.value.kind !== 'oauth'
      ? `${launchLink.value.kind}/${launchLink.value.id}`
      : pendingRoute;
  win = createMainWindow({
    initialRoute,
    preloadPath: paths.preload,
    rendererFile: paths.renderer,
    iconPath: process.platform === 'linux' ? paths.appIcon : undefined,
    store,
    startHidden: atLogin && store.settings().startMinimised,
    isQuitting: () => quitting,
  });
  win.on('focus', () => notifier.seen());
  const tray = createTray(paths.trayIcon, { open: showWindow, syncNow, quit: () => app.quit() });
  const stopWake = watchForWake(() => started.wake(), logger);
  const stopUpdates = startAutoUpdates(store.settings(), logger);

  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (!store.settings().closeToTray) app.quit();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    // Hold the quit until the core has persisted pending work and closed SQLite cleanly.
    event.preventDefault();
    ipc.stopAccepting();
    notifier.dispose();
    stopWake();
    stopUpdates();
    actions.dispose();
    const finish = () => {
      if (stopped) return;
      stopped = true;
      clearTimeout(deadline);
      ipc.dispose();
      tray.destroy();
      app.quit();
    };
    // WAL keeps the database consistent even if stop() hangs; do not keep a zombie app around.
    const deadline = setTimeout(() => {
      logger.warn('core did not stop within 5 s; quitting anyway');
      finish();
    }, 5_000);
    started
      .stop()
      .catch((error: unknown) => logger.error('core stop failed', { error: String(error) }))
      .finally(finish);
  });

  started.events.on('threads.unreadChanged', (c) => notifier.setUnreadThreads(c.threads));
  await started.start();
  const unread = await started.dispatch('threads.unreadCounts', {});
  if (unread.ok) notifier.setUnreadThreads((unread.value as { threads: number }).threads);
  if (!initialRoute) router.handleArgv(process.argv);
  logger.info('app started', { version: app.getVersion(), packaged: app.isPackaged, atLogin });
}
