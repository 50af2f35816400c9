import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { register } from './helpers';
import { startSimAndRelay, type SimAndRelay } from './simFixture';

let env: SimAndRelay;
beforeEach(async () => {
  env = await startSimAndRelay({ publicUrl: undefined });
});
afterEach(async () => {
  await env.close();
});

async function post(path: string, bearer: string, body: unknown) {
  const res = await fetch(`${env.relay.url}${path}`, {
    method: 'POST',
    headers: { authorization: bearer, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function pkce() {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url'), state: randomBytes(24).toString('base64url') };
}

/** What the owner's browser does: open Meta's dialog, follow the redirect to the relay. */
async function browserLogin(redirectUri: string, state: string, challenge: string, decision: 'approve' | 'deny') {
  const dialog = new URL(`${env.sim.url}/v25.0/dialog/oauth`);
  for (const [k, v] of Object.entries({
    client_id: env.sim.appId,
    redirect_uri: redirectUri,
    state,
    response_type: 'code',
    scope: 'pages_show_list,leads_retrieval',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })) dialog.searchParams.set(k, v);
  const page = await (await fetch(dialog)).text();
  const request = /name="request" value="([^"]+)"/.exec(page)![1]!;
  const landed = await fetch(`${env.sim.url}/dialog/oauth/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request, decision }).toString(),
  });
  return { url: landed.url, status: landed.status, html: await landed.text() };
}

it('exchanges the code for a long-lived token and hands it once, only to the install that started', async () => {
  const owner = env.sim.control.createUser();
  env.sim.control.setBrowserUser(owner.id);
  const install = await register(env.relay.url);
  const other = await register(env.relay.url);
  const { verifier, challenge, state } = pkce();

  const start = await post('/v1/oauth/start', install.bearer, { state, codeChallenge: challenge });
  expect(start).toEqual({ status: 200, body: { redirectUri: `${env.relay.url}/oauth/callback` } });
  expect((await post('/v1/oauth/claim', install.bearer, { state, codeVerifier: verifier })).body).toEqual({ status: 'pending' });

  const landed = await browserLogin(start.body.redirectUri as string, state, challenge, 'approve');
  expect(landed.url.startsWith(`${env.relay.url}/oauth/callback?`)).toBe(true);
  expect(landed.html).toContain('You can close this tab and return to Lead Inbox');

  expect((await post('/v1/oauth/claim', other.bearer, { state, codeVerifier: verifier })).status).toBe(404);
  expect((await post('/v1/oauth/claim', install.bearer, { state, codeVerifier: pkce().verifier })).status).toBe(403);
  const claimed = await post('/v1/oauth/claim', install.bearer, { state, codeVerifier: verifier });
  expect(claimed.status).toBe(200);
  expect(claimed.body).toMatchObject({ status: 'ok', expiresIn: expect.any(Number) });
  expect(claimed.body.expiresIn as number).toBeGreaterThan(30 * 24 * 3600);

  // The token is real: Meta (the simulator) accepts it and says whose it is.
  const debug = await post('/v1/debug-token', install.bearer, { inputToken: claimed.body.accessToken });
  expect(debug).toMatchObject({ status: 200, body: { isValid: true, userId: owner.id } });
  // Once only: the relay forgot it.
  expect((await post('/v1/oauth/claim', install.bearer, { state, codeVerifier: verifier })).status).toBe(404);
});

it('records a denial and tells the install', async () => {
  const install = await register(env.relay.url);
  const { verifier, challenge, state } = pkce();
  const start = await post('/v1/oauth/start', install.bearer, { state, codeChallenge: challenge });
  const landed = await browserLogin(start.body.redirectUri as string, state, challenge, 'deny');
  expect(landed.status).toBe(200);
  expect(await post('/v1/oauth/claim', install.bearer, { state, codeVerifier: verifier })).toEqual({
    status: 200,
    body: { status: 'denied', reason: 'access_denied' },
  });
});

it('refuses unauthenticated and malformed OAuth requests', async () => {
  const install = await register(env.relay.url);
  expect((await post('/v1/oauth/start', 'Bearer x.y', { state: 'a'.repeat(16), codeChallenge: 'b'.repeat(43) })).status).toBe(401);
  expect((await post('/v1/oauth/start', install.bearer, { state: 'short', codeChallenge: 'b'.repeat(43) })).status).toBe(400);
  const unknown = await fetch(`${env.relay.url}/oauth/callback?state=never-started&code=abc`);
  expect(unknown.status).toBe(400);
});
