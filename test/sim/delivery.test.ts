import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimWithReceiver } from './testkit';

/** Webhook delivery behaviour: retries with backoff, batching, drop and duplicate switches. */
let env: Awaited<ReturnType<typeof startSimWithReceiver>>;
let formId: string;
let pageId: string;
beforeAll(async () => {
  env = await startSimWithReceiver();
  pageId = env.sim.control.createPage().id;
  formId = env.sim.control.createForm({ pageId }).id;
});
afterAll(() => env.close());

const leadIds = (raw: Buffer) =>
  (
    JSON.parse(raw.toString()) as { entry: { changes: { value: { leadgen_id: string } }[] }[] }
  ).entry.map((e) => e.changes[0]!.value.leadgen_id);

describe('webhook delivery', () => {
  it('retries on non-200 with the same signed bytes until a 200', async () => {
    const start = env.hooks.received.length;
    env.hooks.statuses.push(500, 503, 404);
    const lead = env.sim.control.createLead({ formId });
    await env.sim.webhooksIdle();
    const got = env.hooks.received.slice(start);
    expect(got).toHaveLength(4);
    expect(new Set(got.map((g) => g.raw.toString())).size).toBe(1);
    expect(leadIds(got[3]!.raw)).toEqual([lead.id]);
    const rec = env.sim.deliveries().at(-1)!;
    expect(rec.state).toBe('delivered');
    expect(rec.attempts.map((a) => a.status)).toEqual([500, 503, 404, 200]);
  });

  it('batches held entries into one delivery', async () => {
    const start = env.hooks.received.length;
    env.sim.control.configureWebhooks({ hold: true });
    const ids = [1, 2, 3].map(() => env.sim.control.createLead({ formId }).id);
    expect(env.hooks.received.length).toBe(start);
    env.sim.control.configureWebhooks({ flush: true });
    await env.sim.webhooksIdle();
    const got = env.hooks.received.slice(start);
    expect(got).toHaveLength(1);
    expect(leadIds(got[0]!.raw)).toEqual(ids);
  });

  it('with a batch window, entries close together share one delivery per object', async () => {
    const start = env.hooks.received.length;
    env.sim.control.configureWebhooks({ batchWindowMs: 30 });
    try {
      const a = env.sim.control.createLead({ formId }).id;
      env.sim.control.inboundMessage({ pageId });
      const b = env.sim.control.createLead({ formId }).id;
      await env.hooks.waitFor(start + 1);
      await env.sim.webhooksIdle();
      const got = env.hooks.received.slice(start).map(
        (r) =>
          JSON.parse(r.raw.toString()) as {
            object: string;
            entry: { changes?: { value: { leadgen_id: string } }[]; messaging?: unknown[] }[];
          },
      );
      // leadgen changes and Messenger events are both `object: "page"`: one delivery, three entries.
      expect(got).toHaveLength(1);
      expect(got[0]!.entry).toHaveLength(3);
      expect(
        got[0]!.entry.flatMap((e) => (e.changes ? [e.changes[0]!.value.leadgen_id] : [])),
      ).toEqual([a, b]);
    } finally {
      env.sim.control.configureWebhooks({ batchWindowMs: 0 });
    }
  });

  it('drops or duplicates the next deliveries when told', async () => {
    let start = env.hooks.received.length;
    env.sim.control.configureWebhooks({ drop: 1 });
    env.sim.control.createLead({ formId });
    const kept = env.sim.control.createLead({ formId });
    await env.sim.webhooksIdle();
    expect(env.hooks.received.slice(start).flatMap((r) => leadIds(r.raw))).toEqual([kept.id]);
    start = env.hooks.received.length;
    env.sim.control.configureWebhooks({ duplicate: 1 });
    const twice = env.sim.control.createLead({ formId });
    await env.sim.webhooksIdle();
    expect(env.hooks.received.slice(start).flatMap((r) => leadIds(r.raw))).toEqual([
      twice.id,
      twice.id,
    ]);
  });

  it("after Meta's 'Webhooks Disabled' the page gets no events until the app resubscribes", async () => {
    const page = env.sim.control.createPage();
    const form = env.sim.control.createForm({ pageId: page.id });
    env.sim.control.unsubscribePage(page.id);
    const start = env.hooks.received.length;
    env.sim.control.createLead({ formId: form.id });
    await env.sim.webhooksIdle();
    expect(env.hooks.received.length).toBe(start);
    await fetch(`${env.sim.url}/v25.0/${page.id}/subscribed_apps?subscribed_fields=leadgen`, {
      method: 'POST',
      headers: { authorization: `Bearer ${page.accessToken}` },
    });
    const lead = env.sim.control.createLead({ formId: form.id });
    await env.hooks.waitFor(start + 1);
    expect(env.hooks.received.at(-1)!.raw.toString()).toContain(lead.id);
  });

  it('sends no page event once the app is unsubscribed from the page (subscribed_apps DELETE)', async () => {
    const page = env.sim.control.createPage();
    const form = env.sim.control.createForm({ pageId: page.id });
    await fetch(`${env.sim.url}/v25.0/${page.id}/subscribed_apps`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${page.accessToken}` },
    });
    const start = env.hooks.received.length;
    env.sim.control.createLead({ formId: form.id });
    await env.sim.webhooksIdle();
    expect(env.hooks.received.length).toBe(start);
  });

  it('gives up after maxAttempts and marks the delivery failed', async () => {
    env.sim.control.configureWebhooks({ maxAttempts: 3 });
    env.hooks.statuses.push(500, 500, 500);
    env.sim.control.createLead({ formId });
    await env.sim.webhooksIdle();
    expect(env.sim.deliveries().at(-1)).toMatchObject({ state: 'failed' });
    expect(env.sim.deliveries().at(-1)!.attempts).toHaveLength(3);
    env.sim.control.configureWebhooks({ maxAttempts: 10 });
  });

  it('removing the app posts a signed_request to the Deauthorize Callback', async () => {
    const user = env.sim.control.createUser({ name: 'Leaver' });
    const start = env.hooks.received.length;
    env.sim.control.removeApp(user.id);
    await env.sim.webhooksIdle();
    const got = env.hooks.received.slice(start);
    expect(got).toHaveLength(1);
    expect(got[0]!.path).toBe('/webhooks/meta/deauthorize');
    const signed = new URLSearchParams(got[0]!.raw.toString()).get('signed_request')!;
    const payload = JSON.parse(Buffer.from(signed.split('.')[1]!, 'base64url').toString()) as {
      user_id: string;
      algorithm: string;
    };
    expect(payload).toMatchObject({ user_id: user.id, algorithm: 'HMAC-SHA256' });
  });

  it('app subscriptions verify the callback (hub.challenge) before accepting it', async () => {
    const appToken = env.sim.context.state.appToken;
    const subscribe = (verify_token: string) =>
      fetch(`${env.sim.url}/v25.0/${env.sim.appId}/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${appToken}` },
        body: JSON.stringify({
          object: 'page',
          callback_url: env.hooks.url,
          fields: 'leadgen,messages',
          verify_token,
        }),
      }).then(async (r) => ({
        status: r.status,
        json: (await r.json()) as { error?: { code: number } },
      }));
    const wrong = await subscribe('not-it');
    expect(wrong.status).toBe(400);
    expect(wrong.json.error?.code).toBe(2200);
    expect((await subscribe('verify-me')).json).toEqual({ success: true });
    const list = await fetch(`${env.sim.url}/v25.0/${env.sim.appId}/subscriptions`, {
      headers: { authorization: `Bearer ${appToken}` },
    }).then((r) => r.json());
    expect(list).toMatchObject({
      data: [{ object: 'page', callback_url: env.hooks.url, active: true }],
    });
    await expect(env.sim.control.verifyWebhook('verify-me')).resolves.toMatchObject({ ok: true });
    await expect(env.sim.control.verifyWebhook('nope')).resolves.toMatchObject({
      ok: false,
      status: 403,
    });
  });
});
