import { createHash } from 'node:crypto';
import { brokenSubcode, tokenExpired, validateToken } from '../auth';
import type { SimContext } from '../context';
import { fail, GraphFail, tokenSubcodeMessages } from '../errors';
import type { Req, Reply } from '../http';
import { longLivedSeconds } from '../state';

/**
 * OAuth (meta-platform.md §1): the code exchange, fb_exchange_token and debug_token. The login
 * dialog itself is in oauthDialog.ts. Error subcodes 36007/36008/36009 follow what Meta answers in
 * public reports (expired or malformed code / redirect_uri mismatch / code already used); the
 * stored Meta copies do not list them, so treat them as best-known, not confirmed.
 */
export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  userId: string;
  scopes: string[];
  challenge: string | null;
  challengeMethod: 'S256' | 'plain';
  expiresAt: number;
  used: boolean;
}

export const authCodes = new WeakMap<SimContext, Map<string, AuthCode>>();

export function codesOf(sim: SimContext): Map<string, AuthCode> {
  let m = authCodes.get(sim);
  if (!m) authCodes.set(sim, (m = new Map()));
  return m;
}

const oauthError = (message: string, code: number, subcode?: number) =>
  new GraphFail(400, {
    message,
    type: 'OAuthException',
    code,
    ...(subcode ? { error_subcode: subcode } : {}),
  });

export async function oauthGraph(sim: SimContext, req: Req): Promise<Reply> {
  const seg = req.segments;
  if (seg[0] === 'debug_token' && seg.length === 1) return debugToken(sim, req);
  if (seg[0] === 'oauth' && seg[1] === 'access_token' && seg.length === 2)
    return accessToken(sim, req);
  throw fail.unknownPath(seg.join('/'));
}

function checkClient(sim: SimContext, p: Record<string, string>, secretRequired: boolean): void {
  if (!p.client_id) throw oauthError('Missing client_id parameter.', 101);
  if (p.client_id !== sim.state.appId)
    throw oauthError('Error validating application. Invalid application ID.', 101);
  if (p.client_secret !== undefined && p.client_secret !== sim.state.appSecret)
    throw oauthError('Error validating client secret.', 1);
  if (secretRequired && p.client_secret === undefined)
    throw oauthError('Missing client_secret parameter.', 1);
}

function accessToken(sim: SimContext, req: Req): Reply {
  const p = req.params;
  const { state } = sim;
  if (p.grant_type === 'client_credentials') {
    checkClient(sim, p, true);
    return { json: { access_token: state.appToken, token_type: 'bearer' } };
  }
  if (p.grant_type === 'fb_exchange_token') {
    // Long-lived exchange needs the app secret: server side only (§1.4).
    checkClient(sim, p, true);
    const old = validateToken(state, p.fb_exchange_token ?? null);
    if (old.kind !== 'user' && old.kind !== 'page') throw fail.param('Invalid fb_exchange_token');
    const fresh = state.issueToken(old.kind, {
      userId: old.userId,
      pageId: old.pageId,
      scopes: old.scopes,
      longLived: true,
      expiresIn: old.kind === 'page' ? 0 : longLivedSeconds,
    });
    return {
      json: {
        access_token: fresh.value,
        token_type: 'bearer',
        ...(fresh.expiresAt ? { expires_in: fresh.expiresAt - state.nowS() } : {}),
      },
    };
  }
  if (!p.code) throw oauthError('Missing code parameter.', 100);
  const codes = codesOf(sim);
  const entry = codes.get(p.code);
  if (!entry) throw oauthError('Invalid verification code format.', 100, 36007);
  // Without a secret the caller must prove possession of the PKCE verifier (public-client flow,
  // "still in testing" at Meta, §1.2); the relay sends both.
  checkClient(sim, p, entry.challenge === null);
  if (entry.used) throw oauthError('This authorization code has been used.', 100, 36009);
  if (entry.expiresAt <= state.nowS())
    throw oauthError('This authorization code has expired.', 100, 36007);
  if (p.redirect_uri !== undefined || entry.redirectUri) {
    if ((p.redirect_uri ?? '') !== entry.redirectUri) {
      throw oauthError(
        'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
        100,
        36008,
      );
    }
  }
  if (entry.challenge !== null) {
    const verifier = p.code_verifier ?? '';
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier))
      throw oauthError('Invalid code_verifier.', 100);
    const computed =
      entry.challengeMethod === 'S256'
        ? createHash('sha256').update(verifier).digest('base64url')
        : verifier;
    if (computed !== entry.challenge)
      throw oauthError('Invalid code_verifier: it does not match the code_challenge.', 100);
  }
  entry.used = true;
  const user = state.users.get(entry.userId);
  if (user) user.lastLoginAt = state.nowS();
  const token = state.issueToken(user?.system ? 'system_user' : 'user', {
    userId: entry.userId,
    scopes: entry.scopes,
    longLived: false,
  });
  return {
    json: {
      access_token: token.value,
      token_type: 'bearer',
      expires_in: token.expiresAt - state.nowS(),
    },
  };
}

function debugToken(sim: SimContext, req: Req): Reply {
  const { state } = sim;
  validateToken(state, req.token);
  const input = req.params.input_token;
  if (!input) throw fail.param('The parameter input_token is required');
  const t = state.tokens.get(input);
  if (!t) {
    if (input === state.appToken) {
      return {
        json: {
          data: {
            app_id: state.appId,
            type: 'APP',
            application: 'Lead Inbox',
            is_valid: true,
            scopes: [],
          },
        },
      };
    }
    return {
      json: {
        data: {
          error: { code: 190, message: 'Invalid OAuth access token.' },
          is_valid: false,
          scopes: [],
        },
      },
    };
  }
  const user = t.userId ? state.users.get(t.userId) : undefined;
  const broken = brokenSubcode(state, t);
  const expired = tokenExpired(state, t);
  const data: Record<string, unknown> = {
    app_id: t.appId,
    type: t.kind === 'page' ? 'PAGE' : t.kind === 'system_user' ? 'SYSTEM_USER' : 'USER',
    application: 'Lead Inbox',
    data_access_expires_at: user && !user.system ? user.lastLoginAt + 90 * 86400 : 0,
    expires_at: t.expiresAt,
    is_valid: broken === null && !expired,
    issued_at: t.issuedAt,
    scopes: t.scopes,
    granular_scopes: t.scopes.map((scope) => ({ scope })),
    user_id: t.userId,
  };
  if (t.kind === 'page') data.profile_id = t.pageId;
  if (broken !== null) {
    data.error = {
      code: 190,
      message: (tokenSubcodeMessages[broken] ?? 'Error validating access token.').replace(
        '{app}',
        state.appId,
      ),
      subcode: broken,
    };
  } else if (expired) {
    data.error = {
      code: 190,
      message: 'Error validating access token: Session has expired.',
      subcode: 463,
    };
  }
  return { json: { data } };
}
