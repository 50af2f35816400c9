import { createHmac, timingSafeEqual } from 'node:crypto';
import { fail, GraphFail } from './errors';
import type { SimToken } from './model';
import type { SimState } from './state';

/**
 * Token validation and object access, the way the Graph API decides them: an unknown or broken
 * token is a 190 (with the subcode saying why), and an object the token may not see is answered
 * exactly like an object that does not exist (code 100, subcode 33), so a page token for page A
 * cannot even learn that page B exists. The relay depends on this to refuse foreign bindings.
 */
export function validateToken(state: SimState, value: string | null): SimToken {
  if (!value) throw fail.noToken();
  if (value.includes('|')) {
    if (value !== state.appToken) throw fail.invalidToken();
    return {
      value,
      kind: 'app',
      appId: state.appId,
      userId: null,
      pageId: null,
      scopes: [],
      issuedAt: 0,
      expiresAt: 0,
      longLived: true,
      invalid: null,
      parent: null,
    };
  }
  const token = state.tokens.get(value);
  if (!token) throw fail.invalidToken();
  const broken = brokenSubcode(state, token);
  if (broken !== null) throw fail.tokenSubcode(broken, { app: state.appId });
  if (token.expiresAt !== 0 && token.expiresAt <= state.nowS()) {
    throw fail.tokenSubcode(463, { when: metaDate(token.expiresAt), now: metaDate(state.nowS()) });
  }
  return token;
}

/**
 * appsecret_proof = hex(HMAC-SHA256(app secret, token)), or over `token|appsecret_time` in the
 * time-bound form (meta-platform.md §1.5). Checked when the simulator runs with
 * requireAppSecretProof, or whenever a proof is sent (Meta rejects a wrong one either way).
 */
export function checkAppSecretProof(
  state: SimState,
  token: SimToken,
  params: Record<string, string>,
  required: boolean,
): void {
  if (token.kind === 'app') return;
  const proof = params.appsecret_proof;
  if (proof === undefined) {
    if (!required) return;
    throw new GraphFail(400, {
      message: 'API calls from the server require an appsecret_proof argument',
      type: 'GraphMethodException',
      code: 100,
    });
  }
  const msg = params.appsecret_time ? `${token.value}|${params.appsecret_time}` : token.value;
  const want = createHmac('sha256', state.appSecret).update(msg).digest('hex');
  if (proof.length !== want.length || !timingSafeEqual(Buffer.from(proof), Buffer.from(want))) {
    throw new GraphFail(400, {
      message: 'Invalid appsecret_proof provided in the API argument',
      type: 'GraphMethodException',
      code: 100,
    });
  }
}

/** The 190 subcode that makes this token unusable, following derived page tokens to their parent. */
export function brokenSubcode(state: SimState, token: SimToken): number | null {
  if (token.invalid !== null) return token.invalid;
  if (token.parent) {
    const parent = state.tokens.get(token.parent);
    if (parent && parent.invalid !== null) return parent.invalid;
  }
  return null;
}

export function tokenExpired(state: SimState, token: SimToken): boolean {
  return token.expiresAt !== 0 && token.expiresAt <= state.nowS();
}

export function canSeePage(state: SimState, token: SimToken, pageId: string): boolean {
  if (token.kind === 'page') return token.pageId === pageId;
  if (token.kind === 'user' || token.kind === 'system_user') {
    const user = token.userId ? state.users.get(token.userId) : undefined;
    return !!user?.pages.has(pageId);
  }
  return false;
}

export function canSeeWaba(state: SimState, token: SimToken, wabaId: string): boolean {
  if (token.kind !== 'user' && token.kind !== 'system_user') return false;
  const user = token.userId ? state.users.get(token.userId) : undefined;
  return !!user?.wabaIds.has(wabaId);
}

export function canSeeDataset(state: SimState, token: SimToken, datasetId: string): boolean {
  if (token.kind === 'app') return false;
  const user = token.userId ? state.users.get(token.userId) : undefined;
  return !!user?.datasetIds.has(datasetId);
}

/** Throws the "does not exist / cannot be loaded" error unless the token may read this page's objects. */
export function requirePage(
  state: SimState,
  token: SimToken,
  pageId: string | null,
  id: string,
  method = 'get',
): void {
  if (!pageId || !canSeePage(state, token, pageId)) throw fail.noObject(id, method);
}

export function requireScope(token: SimToken, scope: string): void {
  if (token.kind === 'app') throw fail.appPermission();
  if (!token.scopes.includes(scope)) throw fail.permission(scope);
}

/** Leads need a page token or a user token with leads_retrieval (meta-platform.md §1.6). */
export function requireLeadAccess(token: SimToken): void {
  requireScope(token, 'leads_retrieval');
}

/** "Tuesday, 24-Nov-26 09:00:00 PST" style used in Meta's 463 message (in UTC here). */
export function metaDate(unixS: number): string {
  const d = new Date(unixS * 1000);
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())}-${months[d.getUTCMonth()]}-${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}

/** ISO 8601 with Meta's "+0000" offset, as in created_time. */
export function metaTime(unixS: number): string {
  return new Date(unixS * 1000).toISOString().slice(0, 19) + '+0000';
}

export function metaTimeMs(ms: number): string {
  return metaTime(Math.floor(ms / 1000));
}
