/**
 * The window's security policy as data: what may open in the owner's browser, which permission
 * requests are granted, and the Content-Security-Policy sent with the renderer's documents.
 */
import type { WebPreferences } from 'electron';

/**
 * Hosts the app may hand to the system browser: Facebook's login/consent dialog (the OAuth
 * hand-off) and its help pages. https only; exact host or a subdomain of an allowed host.
 */
export const externalHostAllowlist = ['facebook.com', 'instagram.com', 'whatsapp.com'] as const;

export function isAllowedExternalUrl(raw: unknown, extraOrigins: readonly string[] = []): boolean {
  if (typeof raw !== 'string' || raw.length > 8192) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (extraOrigins.includes(url.origin)) return true;
  if (url.protocol !== 'https:' || url.port) return false;
  const host = url.hostname.toLowerCase();
  return externalHostAllowlist.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

/**
 * Extra origins from configuration: the relay (its OAuth start page) and META_DIALOG_URL (a
 * stand-in for Facebook's login dialog in development). https, or http on loopback only: these
 * come from the owner's or developer's environment, never from web content.
 */
export function configuredOrigins(urls: readonly (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const u of urls) {
    if (!u) continue;
    try {
      const parsed = new URL(u);
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
      if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback))
        out.push(parsed.origin);
    } catch {
      // not a URL: contributes nothing
    }
  }
  return out;
}

/**
 * Notifications, and writing to the clipboard (a "copy phone number" button; Chromium's
 * sanitized write needs a user gesture). Reading the clipboard, camera, microphone, location,
 * MIDI, HID, serial… are all refused.
 */
const allowedPermissions = new Set(['notifications', 'clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string): boolean {
  return allowedPermissions.has(permission);
}

/**
 * The CSP for the packaged renderer. No eval, no inline script, no remote code; styles come
 * from the app only (React's style props go through CSSOM, which CSP does not block); images from
 * the app and data/blob URLs (attachments cached locally). Main is reached over IPC, not the network.
 */
export const rendererCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
].join('; ');

/** Adds the CSP header to a response's headers (session.webRequest.onHeadersReceived). */
export function withCspHeader(
  headers: Record<string, string[] | string> | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [rendererCsp];
  return out;
}

/** The renderer's webPreferences. Electron's defaults are already safe; we state them anyway. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
  };
}
