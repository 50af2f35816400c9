import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from './server';
import { fixtureDiff, graph } from './testkit';

/** The login dialog, the code exchange (secret and PKCE), fb_exchange_token and debug_token. */
let sim: Simulator;
const secret = 'oauth-secret';
const redirectUri = 'https://relay.example/oauth/callback';
beforeAll(async () => {
  sim = await createSimulator({ appSecret: secret, seed: 3 });
  sim.control.createPage();
});
afterAll(() => sim.close());

function dialogUrl(extra: Record<string, string> = {}): string {
  const u = new URL(`${sim.url}/v25.0/dialog/oauth`);
  const p = {
    client_id: sim.appId,
    redirect_uri: redirectUri,
    state: 'state-123',
    response_type: 'code',
    scope: 'pages_show_list,leads_retrieval',
    ...extra,
  };
  for (const [k, v] of Object.entries(p)) u.searchParams.set(k, v);
  return u.toString();
}

async function decide(
  decision: 'approve' | 'deny',
  extra: Record<string, string> = {},
): Promise<URL> {
  const page = await fetch(dialogUrl(extra));
  const html = await page.text();
  expect(html).toMatch(/<button[^>]*value="approve"[^>]*>Approve<\/button>/);
  expect(html).toMatch(/<button[^>]*value="deny"[^>]*>Deny<\/button>/);
  const request = /name="request" value="([^"]+)"/.exec(html)![1]!;
  const res = await fetch(`${sim.url}/dialog/oauth/confirm`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request, decision }).toString(),
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

async function exchange(params: Record<string, string>) {
  const u = new URL(`${sim.url}/v25.0/oauth/access_token`);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  const res = await fetch(u);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('login dialog', () => {
  it('Approve redirects with code and the unchanged state; the code buys a short-lived token once', async () => {
    const back = await decide('approve');
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('state-123');
    expect(back.hash).toBe('#_=_');
    const code = back.searchParams.get('code')!;
    const ok = await exchange({
      client_id: sim.appId,
      client_secret: secret,
      redirect_uri: redirectUri,
      code,
    });
    expect(fixtureDiff('graph-oauth-token', ok.json)).toEqual([]);
    const again = await exchange({
      client_id: sim.appId,
      client_secret: secret,
      redirect_uri: redirectUri,
      code,
    });
    expect(again.json.error).toMatchObject({ code: 100, error_subcode: 36009 });
    const me = await graph(sim, 'GET', 'me/accounts', ok.json.access_token as string);
    expect(me.status).toBe(200);
  });

  it('Deny redirects with error=access_denied, error_reason=user_denied and the state', async () => {
    const back = await decide('deny');
    expect(Object.fromEntries(back.searchParams)).toMatchObject({
      error: 'access_denied',
      error_reason: 'user_denied',
      state: 'state-123',
    });
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('the redirect_uri of the exchange must equal the dialog one (100/36008); a wrong secret fails', async () => {
    const code = (await decide('approve')).searchParams.get('code')!;
    const wrongUri = await exchange({
      client_id: sim.appId,
      client_secret: secret,
      redirect_uri: 'https://evil.example/cb',
      code,
    });
    expect(wrongUri.json.error).toMatchObject({ code: 100, error_subcode: 36008 });
    const wrongSecret = await exchange({
      client_id: sim.appId,
      client_secret: 'nope',
      redirect_uri: redirectUri,
      code,
    });
    expect(wrongSecret.status).toBe(400);
  });

  it('PKCE: the verifier must hash to the challenge (S256)', async () => {
    const verifier = randomBytes(48).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = (
      await decide('approve', { code_challenge: challenge, code_challenge_method: 'S256' })
    ).searchParams.get('code')!;
    const bad = await exchange({
      client_id: sim.appId,
      client_secret: secret,
      redirect_uri: redirectUri,
      code,
      code_verifier: randomBytes(48).toString('base64url'),
    });
    expect(bad.status).toBe(400);
    const good = await exchange({
      client_id: sim.appId,
      redirect_uri: redirectUri,
      code,
      code_verifier: verifier,
    });
    expect(good.status).toBe(200);
  });

  it('auto-approve answers the dialog with an immediate 302 (no browser needed)', async () => {
    await fetch(`${sim.url}/_sim/oauth/auto`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"on":true}',
    });
    const res = await fetch(dialogUrl(), { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toMatch(/^AQ/);
    sim.control.setOAuthAutoApprove(false);
  });
});

describe('tokens', () => {
  it('fb_exchange_token gives a ~60 day token; debug_token describes it (app token only)', async () => {
    const short = sim.control.userToken(undefined, { longLived: false });
    const long = await exchange({
      grant_type: 'fb_exchange_token',
      client_id: sim.appId,
      client_secret: secret,
      fb_exchange_token: short,
    });
    expect(fixtureDiff('graph-oauth-long-lived', long.json)).toEqual([]);
    expect(long.json.expires_in).toBe(5183944);
    const noSecret = await exchange({
      grant_type: 'fb_exchange_token',
      client_id: sim.appId,
      fb_exchange_token: short,
    });
    expect(noSecret.status).toBe(400);
    const dbg = await graph(
      sim,
      'GET',
      `debug_token?input_token=${long.json.access_token as string}`,
      `${sim.appId}|${secret}`,
    );
    expect((dbg.json.data as { is_valid: boolean; type: string }).is_valid).toBe(true);
    sim.control.revokeToken({ token: long.json.access_token as string, subcode: 460 });
    const after = await graph(
      sim,
      'GET',
      `debug_token?input_token=${long.json.access_token as string}`,
      `${sim.appId}|${secret}`,
    );
    expect(after.json.data).toMatchObject({ is_valid: false, error: { code: 190, subcode: 460 } });
    expect(
      (await graph(sim, 'GET', `debug_token?input_token=x`, `${sim.appId}|wrong`)).status,
    ).toBe(400);
  });
});

describe('redirect URI allow-list', () => {
  it('with redirectUris set, the dialog blocks any other URI (Strict Mode, exact match)', async () => {
    const strict = await createSimulator({
      appSecret: secret,
      redirectUris: [redirectUri],
      oauthAutoApprove: true,
    });
    try {
      const url = (uri: string) =>
        `${strict.url}/dialog/oauth?client_id=${strict.appId}&redirect_uri=${encodeURIComponent(uri)}&state=s`;
      expect((await fetch(url(redirectUri), { redirect: 'manual' })).status).toBe(302);
      const blocked = await fetch(url(`${redirectUri}/x`), { redirect: 'manual' });
      expect(blocked.status).toBe(400);
      expect(await blocked.text()).toContain('URL blocked');
    } finally {
      await strict.close();
    }
  });
});
