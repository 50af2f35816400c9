import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_SECRET, TestClient, register } from './helpers';
import { startSimAndRelay, type SimAndRelay } from './simFixture';

let env: SimAndRelay;
beforeEach(async () => {
  env = await startSimAndRelay();
});
afterEach(async () => {
  await env.close();
});

async function bind(bearer: string, body: unknown, method = 'POST') {
  const res = await fetch(`${env.relay.url}/v1/bindings`, {
    method,
    headers: { authorization: bearer, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * Every webhook the simulator sent was accepted by the relay (so an event that did not arrive was
 * withheld, not lost on the way), and every frame the relay queued since has arrived.
 */
async function settle(c: TestClient): Promise<void> {
  await env.sim.webhooksIdle();
  expect(env.sim.deliveries().map((d) => d.state)).toEqual(env.sim.deliveries().map(() => 'delivered'));
  const t = Math.random();
  c.ws.send(JSON.stringify({ type: 'ping', t }));
  await c.until(() => c.frames.some((f) => f.type === 'pong' && f.t === t), 'pong');
}

/** Page webhooks the simulator delivered to the relay (each answered 200). */
const pageDeliveries = () => env.sim.deliveries().filter((d) => d.object === 'page').length;

const leadIds = (c: TestClient) =>
  c.events().filter((e) => e.kind === 'page').map((e) => (JSON.parse(e.raw) as { changes: { value: { leadgen_id: string } }[] }).changes[0]!.value.leadgen_id);

describe('bindings: proof of access through the Graph API', () => {
  it('binds a page with its own token and delivers its leads; refuses another page with that token', async () => {
    const { control } = env.sim;
    const owner = control.createUser({ name: 'Owner A' });
    const stranger = control.createUser({ name: 'Owner B' });
    const mine = control.createPage({ userId: owner.id });
    const theirs = control.createPage({ userId: stranger.id });
    const install = await register(env.relay.url);

    const refused = await bind(install.bearer, { kind: 'page', assetId: theirs.id, accessToken: mine.accessToken });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    const bogus = await bind(install.bearer, { kind: 'page', assetId: mine.id, accessToken: 'EAAbogus' });
    expect(bogus.status).toBe(403);
    const ok = await bind(install.bearer, { kind: 'page', assetId: mine.id, accessToken: mine.accessToken });
    expect(ok).toEqual({ status: 200, body: { kind: 'page', assetId: mine.id, bound: true } });

    const client = await TestClient.connect(env.relay.url, install.bearer);
    client.hello(null);
    const leadMine = control.createLead({ pageId: mine.id });
    const leadTheirs = control.createLead({ pageId: theirs.id });
    await client.until(() => leadIds(client).length === 1, 'the lead of the bound page');
    await settle(client);
    expect(leadIds(client)).toEqual([leadMine.id]);
    expect(leadIds(client)).not.toContain(leadTheirs.id);
    await client.close();
  });

  it('a user token that holds the page also proves access; the token is not stored', async () => {
    const { control } = env.sim;
    const owner = control.createUser();
    const page = control.createPage({ userId: owner.id });
    const userToken = control.userToken(owner.id);
    const install = await register(env.relay.url);
    expect((await bind(install.bearer, { kind: 'page', assetId: page.id, accessToken: userToken })).status).toBe(200);
    const { readFileSync, readdirSync } = await import('node:fs');
    for (const f of readdirSync(env.dataDir)) {
      const bytes = readFileSync(`${env.dataDir}/${f}`);
      expect(bytes.includes(userToken)).toBe(false);
      expect(bytes.includes(install.token.split('.')[1]!)).toBe(false);
    }
  });

  it('refuses bad requests: no auth, wrong token, bad body', async () => {
    const install = await register(env.relay.url);
    expect((await bind('Bearer nope.nope', { kind: 'page', assetId: '1', accessToken: 'x' })).status).toBe(401);
    expect((await bind(`Bearer ${install.installId}.wrong`, { kind: 'page', assetId: '1', accessToken: 'x' })).status).toBe(401);
    const bad = await bind(install.bearer, { kind: 'fax', assetId: '1', accessToken: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_input' } });
  });

  it('unbinding stops delivery', async () => {
    const { control } = env.sim;
    const page = control.createPage();
    const install = await register(env.relay.url);
    await bind(install.bearer, { kind: 'page', assetId: page.id, accessToken: page.accessToken });
    const client = await TestClient.connect(env.relay.url, install.bearer);
    client.hello(null);
    const before = control.createLead({ pageId: page.id });
    await client.until(() => leadIds(client).length === 1, 'first lead');
    const res = await bind(install.bearer, { kind: 'page', assetId: page.id }, 'DELETE');
    expect(res).toEqual({ status: 200, body: { kind: 'page', assetId: page.id, bound: false } });
    control.createLead({ pageId: page.id });
    await settle(client);
    expect(pageDeliveries()).toBe(2);
    expect(leadIds(client)).toEqual([before.id]);
    await client.close();
  });

  it('a revoked permission (permissions webhook) reaches the install and stops delivery of that user’s pages', async () => {
    const { control } = env.sim;
    const owner = control.createUser();
    const page = control.createPage({ userId: owner.id });
    const install = await register(env.relay.url);
    await bind(install.bearer, { kind: 'page', assetId: page.id, accessToken: page.accessToken });
    const client = await TestClient.connect(env.relay.url, install.bearer);
    client.hello(null);
    control.revokePermission(owner.id, 'leads_retrieval');
    await client.until(() => client.events().some((e) => e.kind === 'permissions'), 'permissions event');
    expect(client.events().find((e) => e.kind === 'permissions')).toMatchObject({ object: 'permissions', assetId: owner.id });
    control.createLead({ pageId: page.id });
    await settle(client);
    expect(pageDeliveries()).toBe(1);
    expect(leadIds(client)).toEqual([]);
    await client.close();
  });

  it('binds an Instagram account with the token of the page it is linked to', async () => {
    const { control } = env.sim;
    const page = control.createPage({ instagram: true });
    const install = await register(env.relay.url);
    const res = await bind(install.bearer, { kind: 'instagram', assetId: page.instagramId, accessToken: page.accessToken });
    expect(res.status).toBe(200);
    const other = control.createPage({ instagram: true });
    const foreign = await bind(install.bearer, { kind: 'instagram', assetId: other.instagramId, accessToken: page.accessToken });
    expect(foreign.status).toBe(403);
  });

  it('with "Require App Secret" on at Meta, proof still works: the relay signs its calls with appsecret_proof', async () => {
    const strict = await startSimAndRelay({}, { requireAppSecretProof: true });
    try {
      const { control } = strict.sim;
      const owner = control.createUser();
      const page = control.createPage({ userId: owner.id, instagram: true });
      const install = await register(strict.relay.url);
      const post = async (body: unknown) =>
        (
          await fetch(`${strict.relay.url}/v1/bindings`, {
            method: 'POST',
            headers: { authorization: install.bearer, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).status;
      expect(await post({ kind: 'page', assetId: page.id, accessToken: page.accessToken })).toBe(200);
      expect(await post({ kind: 'instagram', assetId: page.instagramId, accessToken: page.accessToken })).toBe(200);
      const other = control.createPage({});
      expect(await post({ kind: 'page', assetId: other.id, accessToken: page.accessToken })).toBe(403);
    } finally {
      await strict.close();
    }
  });
});

describe('Deauthorize Callback (signed_request)', () => {
  const signedRequest = (payload: object, secret: string) => {
    const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${createHmac('sha256', secret).update(p).digest('base64url')}.${p}`;
  };
  const postDeauth = async (signed: string) =>
    (
      await fetch(`${env.relay.url}/webhooks/meta/deauthorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ signed_request: signed }).toString(),
      })
    ).status;

  it('a signed deauthorisation reaches the user’s installs and unbinds their pages; a forged one is refused', async () => {
    const { control } = env.sim;
    const owner = control.createUser();
    const page = control.createPage({ userId: owner.id });
    const install = await register(env.relay.url);
    await bind(install.bearer, { kind: 'page', assetId: page.id, accessToken: page.accessToken });
    const client = await TestClient.connect(env.relay.url, install.bearer);
    client.hello(null);
    const payload = { algorithm: 'HMAC-SHA256', issued_at: 1732430000, user_id: owner.id };
    expect(await postDeauth(signedRequest(payload, 'not-the-secret'))).toBe(401);
    expect(await postDeauth(signedRequest(payload, APP_SECRET))).toBe(200);
    await client.until(() => client.events().some((e) => e.kind === 'permissions'), 'deauth event');
    control.createLead({ pageId: page.id });
    await settle(client);
    expect(client.events().map((e) => e.kind)).toEqual(['permissions']);
    await client.close();
  });
});

describe('WhatsApp and app removal, driven by the simulator', () => {
  it('binds a phone number with the business system-user token, refuses another business’s number, and delivers its messages', async () => {
    const { control } = env.sim;
    const mine = control.createWhatsApp({ phones: 2 });
    const theirs = control.createWhatsApp({ userId: control.createUser().id });
    const install = await register(env.relay.url);
    const foreign = await bind(install.bearer, { kind: 'whatsapp', assetId: theirs.phoneNumberIds[0], accessToken: mine.systemUserToken });
    expect(foreign.status).toBe(403);
    const ok = await bind(install.bearer, { kind: 'whatsapp', assetId: mine.phoneNumberIds[0], accessToken: mine.systemUserToken });
    expect(ok.status).toBe(200);
    const client = await TestClient.connect(env.relay.url, install.bearer);
    client.hello(null);
    const delivered = control.whatsappInbound({ phoneNumberId: mine.phoneNumberIds[0]!, text: 'hola' });
    control.whatsappInbound({ phoneNumberId: mine.phoneNumberIds[1]!, text: 'other number' });
    control.whatsappInbound({ phoneNumberId: theirs.phoneNumberIds[0]!, text: 'other business' });
    await client.until(() => client.events().length >= 1, 'the bound number’s message');
    await settle(client);
    expect(client.events().map((e) => [e.kind, e.assetId])).toEqual([['whatsapp', mine.wabaId]]);
    expect(client.events()[0]!.raw).toContain(delivered.wamid);
    await client.close();
  });

  it('removing the app (Deauthorize Callback) tells the install and stops delivery of that user’s pages', async () => {
    const { control } = env.sim;
    const owner = control.createUser();
    const page = control.createPage({ userId: owner.id });
    const install = await register(env.relay.url);
    await bind(install.bearer, { kind: 'page', assetId: page.id, accessToken: control.userToken(owner.id) });
    const client = await TestClient.connect(env.relay.url, install.bearer);
    client.hello(null);
    control.removeApp(owner.id);
    await client.until(() => client.events().some((e) => e.kind === 'permissions'), 'deauthorisation event');
    control.createLead({ pageId: page.id });
    await settle(client);
    expect(pageDeliveries()).toBe(1);
    expect(client.events().map((e) => e.kind)).toEqual(['permissions']);
    await client.close();
  });
});
