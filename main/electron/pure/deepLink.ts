/**
 * leadinbox:// links and in-app routes. The OS hands us these strings from anywhere (a web page,
 * another app, a second launch's argv), so the grammar is closed: a lead, a thread, or the OAuth
 * hand-off coming back. Anything else is rejected with a reason that is safe to log.
 */

export const protocolScheme = 'leadinbox';

/** In-app places the shell can open. `lead/<id>` and `thread/<id>` match notification routes. */
export type Route =
  { kind: 'lead'; id: string } | { kind: 'thread'; id: string } | { kind: 'settings' };

export type DeepLink =
  | Extract<Route, { kind: 'lead' | 'thread' }>
  | { kind: 'oauth'; params: Record<OAuthParam, string | undefined> };

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const oauthParams = ['code', 'state', 'error', 'error_reason', 'error_description'] as const;
type OAuthParam = (typeof oauthParams)[number];

/** Meta ids are digits; thread/message ids add letters, `_ . : = + -` (e.g. `t_…`, `wamid.…==`). */
const idPattern = /^[A-Za-z0-9_.:=+-]{1,200}$/;
const maxLinkLength = 4096;

/** Parses an in-app route such as `lead/123`, `thread/t_9`, `settings`. */
export function parseRoute(route: unknown): Parsed<Route> {
  if (typeof route !== 'string') return no('route is not a string');
  if (route === 'settings') return { ok: true, value: { kind: route } };
  const parts = route.split('/');
  if (parts.length !== 2) return no(`unknown route ${clip(route)}`);
  const [kind, id] = parts as [string, string];
  if (kind !== 'lead' && kind !== 'thread') return no(`unknown route ${clip(route)}`);
  if (!idPattern.test(id)) return no(`bad ${kind} id`);
  return { ok: true, value: { kind, id } };
}

export function routeToString(route: Route): string {
  return route.kind === 'lead' || route.kind === 'thread'
    ? `${route.kind}/${route.id}`
    : route.kind;
}

/**
 * Parses `leadinbox://lead/<id>`, `leadinbox://thread/<id>` and
 * `leadinbox://oauth/callback?code=…&state=…` (or `?error=…`). Windows appends a trailing slash
 * to protocol URLs it launches us with, so one is tolerated.
 */
export function parseDeepLink(raw: unknown): Parsed<DeepLink> {
  if (typeof raw !== 'string') return no('link is not a string');
  if (raw.length > maxLinkLength) return no('link too long');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return no('not a URL');
  }
  if (url.protocol !== `${protocolScheme}:`) return no(`wrong scheme ${clip(url.protocol)}`);
  if (url.username || url.password || url.port) return no('credentials or port in link');
  const host = url.hostname.toLowerCase();
  const path = url.pathname.replace(/\/$/, '');

  if (host === 'lead' || host === 'thread') {
    if (url.search || url.hash) return no(`${host} link with query or fragment`);
    let id: string;
    try {
      id = decodeURIComponent(path.replace(/^\//, ''));
    } catch {
      return no('bad percent-encoding');
    }
    if (!idPattern.test(id)) return no(`bad ${host} id`);
    return { ok: true, value: { kind: host, id } };
  }

  if (host === 'oauth') {
    if (path !== '/callback') return no('unknown oauth path');
    if (url.hash) return no('oauth link with fragment');
    const params = {} as Record<OAuthParam, string | undefined>;
    for (const [key, value] of url.searchParams) {
      if (!(oauthParams as readonly string[]).includes(key))
        return no(`unexpected oauth parameter ${clip(key)}`);
      if (params[key as OAuthParam] !== undefined) return no(`repeated oauth parameter ${key}`);
      if (value.length > 2048) return no(`oauth parameter ${key} too long`);
      params[key as OAuthParam] = value;
    }
    if (!params.state) return no('oauth callback without state');
    if (!params.code === !params.error)
      return no('oauth callback needs exactly one of code or error');
    return { ok: true, value: { kind: 'oauth', params } };
  }

  return no(`unknown link target ${clip(host)}`);
}

/**
 * Finds a leadinbox:// link in a process's argv (Windows and Linux pass the URL as an argument on
 * launch and to the second instance). Only the scheme prefix is matched here; parseDeepLink decides.
 */
export function findDeepLinkArg(argv: readonly string[]): string | null {
  const prefix = `${protocolScheme}://`;
  return argv.find((arg) => arg.toLowerCase().startsWith(prefix)) ?? null;
}

function no(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** Never echo a whole untrusted string into the log. */
function clip(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}
