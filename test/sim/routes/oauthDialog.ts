import type { SimContext } from '../context';
import type { Req, Reply } from '../http';
import { codesOf } from './oauth';

/**
 * The www.facebook.com login dialog (meta-platform.md §1.1): a page a real browser can complete
 * with Approve / Deny, or an immediate 302 when auto-approve is on (demo, tests without a browser).
 * It redirects with `code` + `state`, or Meta's denial parameters, and appends "#_=_" like Meta.
 */
interface Pending {
  params: Record<string, string>;
}
const pendings = new WeakMap<SimContext, Map<string, Pending>>();

function pendingOf(sim: SimContext): Map<string, Pending> {
  let m = pendings.get(sim);
  if (!m) pendings.set(sim, (m = new Map()));
  return m;
}

export function handleDialog(sim: SimContext, req: Req): Reply {
  if (req.method === 'POST' && req.segments[2] === 'confirm') return confirm(sim, req);
  const p = req.params;
  if (p.client_id !== sim.state.appId)
    return page(
      'Error',
      '<h1>Invalid App ID</h1><p>The provided app ID does not look like a valid app ID.</p>',
      400,
    );
  const allowed = sim.settings.redirectUris;
  if (
    !p.redirect_uri ||
    !/^https?:\/\//.test(p.redirect_uri) ||
    (allowed && !allowed.includes(p.redirect_uri))
  ) {
    return page(
      'Error',
      '<h1>URL blocked</h1><p>This redirect failed because the redirect URI is not whitelisted in the app’s Client OAuth Settings.</p>',
      400,
    );
  }
  if (
    p.code_challenge &&
    p.code_challenge_method &&
    !['S256', 'plain'].includes(p.code_challenge_method)
  ) {
    return redirectWith(p, {
      error: 'invalid_request',
      error_description: 'Invalid code_challenge_method',
    });
  }
  if (sim.settings.oauthAutoApprove) return approve(sim, p);
  const id = sim.state.rng.chars(24);
  pendingOf(sim).set(id, { params: { ...p } });
  const user = sim.settings.browserUserId
    ? sim.state.users.get(sim.settings.browserUserId)
    : undefined;
  const scopes = p.config_id
    ? '(set by the business login configuration)'
    : (p.scope ?? 'public_profile').split(',').map(esc).join(', ');
  return page(
    'Log in with Facebook',
    `<main>
<h1>Lead Inbox is requesting access to your Facebook account</h1>
<p>Logged in as <strong>${esc(user?.name ?? 'nobody')}</strong>.</p>
<p>Permissions: ${scopes}</p>
<form method="post" action="/dialog/oauth/confirm">
<input type="hidden" name="request" value="${id}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</main>`,
  );
}

function confirm(sim: SimContext, req: Req): Reply {
  const pending = pendingOf(sim).get(req.params.request ?? '');
  if (!pending) return page('Error', '<h1>This login request has expired</h1>', 400);
  pendingOf(sim).delete(req.params.request!);
  if (req.params.decision !== 'approve') {
    return redirectWith(pending.params, {
      error: 'access_denied',
      error_code: '200',
      error_description: 'Permissions error',
      error_reason: 'user_denied',
    });
  }
  return approve(sim, pending.params);
}

function approve(sim: SimContext, p: Record<string, string>): Reply {
  const { state } = sim;
  const userId = sim.settings.browserUserId ?? sim.control.ownerId();
  const user = state.users.get(userId)!;
  const requested = p.config_id
    ? user.scopes
    : (p.scope ?? 'public_profile').split(/[ ,]+/).filter(Boolean);
  const code =
    'AQ' + state.rng.chars(150, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
  codesOf(sim).set(code, {
    code,
    clientId: p.client_id!,
    redirectUri: p.redirect_uri!,
    userId,
    scopes: requested.filter((s) => user.scopes.includes(s)),
    challenge: p.code_challenge ?? null,
    challengeMethod: p.code_challenge_method === 'plain' ? 'plain' : 'S256',
    expiresAt: state.nowS() + 600,
    used: false,
  });
  return redirectWith(p, { code });
}

function redirectWith(p: Record<string, string>, extra: Record<string, string>): Reply {
  const url = new URL(p.redirect_uri!);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  if (p.state !== undefined) url.searchParams.set('state', p.state);
  url.hash = '_=_';
  return { redirect: url.toString() };
}

function page(title: string, body: string, status = 200): Reply {
  return {
    status,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}</style>
</head><body>${body}</body></html>`,
  };
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
