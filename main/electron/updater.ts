/**
 * Automatic updates through electron-updater's generic provider (a folder on any https server
 * with latest.yml / latest-mac.yml / latest-linux.yml next to the installers). Off unless the
 * owner turns it on; only a packaged app updates itself.
 */
import { app } from 'electron';
import electronUpdater from 'electron-updater';
import type { Logger } from '../core/ports';
import { resolveUpdateFeed, type ShellSettings } from './pure/shellSettings';

const checkEveryMs = 6 * 60 * 60 * 1000;

export function startAutoUpdates(settings: ShellSettings, logger: Logger): () => void {
  const feed = resolveUpdateFeed(settings, process.env);
  if (!feed.enabled) {
    logger.info('automatic updates not started', { reason: feed.reason });
    return () => {};
  }
  if (!app.isPackaged) {
    logger.info('automatic updates not started', { reason: 'development build' });
    return () => {};
  }
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = {
    info: (m?: unknown) => logger.info('updater', { detail: String(m) }),
    warn: (m?: unknown) => logger.warn('updater', { detail: String(m) }),
    error: (m?: unknown) => logger.error('updater', { detail: String(m) }),
    debug: () => {},
  };
  autoUpdater.setFeedURL({ provider: 'generic', url: feed.url });
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  const check = () =>
    autoUpdater.checkForUpdatesAndNotify().catch((error: unknown) => {
      logger.warn('update check failed', { error: String(error) });
    });
  void check();
  const timer = setInterval(check, checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
