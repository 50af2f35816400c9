/**
 * leadinbox:// registration and delivery. macOS hands links over with 'open-url'; Windows and
 * Linux put them in argv (first launch) or in the second instance's argv. Everything goes through
 * pure/deepLink.ts's closed grammar before it reaches the window or the OAuth flow.
 */
import { app } from 'electron';
import { resolve } from 'node:path';
import type { Logger } from '../core/ports';
import { findDeepLinkArg, parseDeepLink, protocolScheme, type DeepLink } from './pure/deepLink';

export function registerProtocolClient(logger: Logger): void {
  // In development Electron runs as `electron path/to/main.cjs`: the OS must relaunch it that way.
  const ok =
    process.defaultApp && process.argv[1]
      ? app.setAsDefaultProtocolClient(protocolScheme, process.execPath, [resolve(process.argv[1])])
      : app.setAsDefaultProtocolClient(protocolScheme);
  if (!ok) logger.warn('could not register the leadinbox:// protocol handler');
}

export interface DeepLinkRouter {
  /** A raw link from the OS; parsed, then routed, or logged and dropped. */
  handle(raw: string): void;
  /** Checks an argv (first launch or second instance) for a link. */
  handleArgv(argv: readonly string[]): void;
}

export function createDeepLinkRouter(opts: {
  open: (link: DeepLink) => void;
  logger: Logger;
}): DeepLinkRouter {
  const router: DeepLinkRouter = {
    handle(raw) {
      const parsed = parseDeepLink(raw);
      if (!parsed.ok) {
        opts.logger.warn('deep link rejected', { reason: parsed.reason });
        return;
      }
      opts.open(parsed.value);
    },
    handleArgv(argv) {
      const raw = findDeepLinkArg(argv);
      if (raw) router.handle(raw);
    },
  };
  return router;
}

/** macOS delivers links before 'ready' too: call this at startup, before app.whenReady(). */
export function listenForOpenUrl(router: DeepLinkRouter): void {
  app.on('open-url', (event, url) => {
    event.preventDefault();
    router.handle(url);
  });
}
