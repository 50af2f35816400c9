/**
 * Hardening applied to every web contents and to the session: no navigation away from the app,
 * no new windows (allowlisted https links go to the owner's browser instead), no webviews,
 * permissions refused except notifications and clipboard writes, and the CSP on every response.
 */
import { app, session, shell, type WebContents } from 'electron';
import type { Logger } from '../core/ports';
import { isAllowedExternalUrl, isPermissionAllowed, withCspHeader } from './pure/security';

/** Opens an allowlisted URL in the system browser; anything else is refused and logged. */
export async function openExternalSafely(
  url: string,
  logger: Logger,
  extraOrigins: string[] = [],
): Promise<void> {
  if (!isAllowedExternalUrl(url, extraOrigins)) {
    logger.warn('refused to open external URL', { origin: safeOrigin(url) });
    throw new Error('This link is not allowed to open outside the app.');
  }
  await shell.openExternal(url);
}

export function hardenSession(logger: Logger): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    const allowed = isPermissionAllowed(permission);
    if (!allowed) logger.warn('permission request denied', { permission });
    callback(allowed);
  });
  ses.setPermissionCheckHandler((_wc, permission) => isPermissionAllowed(permission));
  // USB/HID/serial devices: the app has no use for any of them.
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders) });
  });
}

/** Installed before any window exists, so it covers every web contents the app ever creates. */
export function guardAllWebContents(logger: Logger, extraOrigins: () => string[]): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      event.preventDefault();
      logger.warn('navigation blocked', { origin: safeOrigin(url) });
    });
    contents.on('will-redirect', (event, url) => {
      event.preventDefault();
      logger.warn('redirect blocked', { origin: safeOrigin(url) });
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url, extraOrigins())) {
        void shell.openExternal(url);
      } else {
        logger.warn('window.open blocked', { origin: safeOrigin(url) });
      }
      return { action: 'deny' };
    });
  });
}

/** Logs carry the origin only: paths and queries can hold personal data or OAuth codes. */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid URL';
  }
}
