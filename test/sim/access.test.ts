import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from './server';
import { graph } from './testkit';

/** Which token may read what: page tokens see only their page, broken tokens get 190 subcodes. */
let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator({ appSecret: 'x', seed: 5 });
});
afterAll(() => sim.close());

const code = (json: Record<string, unknown>) =>
  json.error as { code: number; error_subcode?: number; type: string };

describe('token model', () => {
  it("a page token cannot read another page, its forms or its leads (100/33, same as 'does not exist')", async () => {
    const mine = sim.control.createPage();
    const stranger = sim.control.createUser({ name: 'Someone Else' });
    const theirs = sim.control.createPage({ userId: stranger.id });
    const form = sim.control.createForm({ pageId: theirs.id });
    const lead = sim.control.createLead({ formId: form.id, webhook: false });
    for (const id of [theirs.id, form.id, lead.id, '999999999999999']) {
      const res = await graph(sim, 'GET', id, mine.accessToken);
      expect(res.status).toBe(400);
      expect(code(res.json)).toMatchObject({ code: 100, error_subcode: 33 });
    }
    expect((await graph(sim, 'GET', lead.id, theirs.accessToken)).status).toBe(200);
  });

  it.each([
    [458, 'app removed'],
    [460, 'password changed'],
    [467, 'logged out'],
  ])(
    'revoking a user token with %i (%s) also breaks the page tokens derived from it',
    async (subcode) => {
      const user = sim.control.createUser();
      const page = sim.control.createPage({ userId: user.id });
      sim.control.revokeToken({ userId: user.id, subcode });
      const res = await graph(sim, 'GET', page.id, page.accessToken);
      expect(code(res.json)).toMatchObject({
        code: 190,
        error_subcode: subcode,
        type: 'OAuthException',
      });
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    },
  );

  it('losing the page role gives 190/492; an expired token 190/463; garbage 190', async () => {
    const user = sim.control.createUser();
    const page = sim.control.createPage({ userId: user.id });
    sim.control.removePageRole(user.id, page.id);
    expect(code((await graph(sim, 'GET', page.id, page.accessToken)).json)).toMatchObject({
      code: 190,
      error_subcode: 492,
    });
    const short = sim.control.userToken(user.id, { longLived: false });
    sim.control.advanceTime(2 * 3600_000);
    expect(code((await graph(sim, 'GET', 'me', short)).json)).toMatchObject({
      code: 190,
      error_subcode: 463,
    });
    expect(code((await graph(sim, 'GET', 'me', 'EAAgarbage')).json)).toMatchObject({ code: 190 });
  });

  it('a missing permission is 200; the app token cannot act as a user (2500)', async () => {
    const user = sim.control.createUser({ scopes: ['pages_show_list'] });
    const page = sim.control.createPage({ userId: user.id });
    const form = sim.control.createForm({ pageId: page.id });
    const res = await graph(sim, 'GET', `${form.id}/leads`, page.accessToken);
    expect(res.status).toBe(403);
    expect(code(res.json)).toMatchObject({ code: 200 });
    expect(code((await graph(sim, 'GET', 'me', sim.context.state.appToken)).json).code).toBe(2500);
  });

  it('subscribed_apps needs a page token (210)', async () => {
    const page = sim.control.createPage();
    const res = await graph(
      sim,
      'POST',
      `${page.id}/subscribed_apps?subscribed_fields=leadgen`,
      sim.control.userToken(),
    );
    expect(code(res.json).code).toBe(210);
  });
});

describe('Require App Secret', () => {
  it('calls without a proof fail, a right proof (plain or time-bound) passes, a wrong one fails', async () => {
    const strict = await createSimulator({
      appSecret: 'proof-secret',
      requireAppSecretProof: true,
    });
    try {
      const page = strict.control.createPage();
      const proof = (msg: string) => createHmac('sha256', 'proof-secret').update(msg).digest('hex');
      const get = (q: string) => graph(strict, 'GET', `${page.id}?${q}`, page.accessToken);
      const none = await get('fields=id');
      expect(none.json.error).toMatchObject({
        code: 100,
        message: expect.stringContaining('appsecret_proof'),
      });
      expect((await get(`appsecret_proof=${proof(page.accessToken)}`)).status).toBe(200);
      const t = '1790000000';
      expect(
        (await get(`appsecret_proof=${proof(`${page.accessToken}|${t}`)}&appsecret_time=${t}`))
          .status,
      ).toBe(200);
      expect((await get(`appsecret_proof=${proof('other')}`)).status).toBe(400);
    } finally {
      await strict.close();
    }
  });
});
