import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graph, fixtureDiff, startSimWithReceiver } from './testkit';

/** Send rules: Messenger 24 h window + HUMAN_AGENT, WhatsApp 131047, templates, media, CAPI. */
let env: Awaited<ReturnType<typeof startSimWithReceiver>>;
let page: { id: string; accessToken: string };
beforeAll(async () => {
  env = await startSimWithReceiver({ whatsappAutoStatuses: false });
  page = env.sim.control.createPage({ instagram: true });
});
afterAll(() => env.close());

const hour = 3_600_000;

describe('Messenger send window', () => {
  it('inside 24 h a reply goes out (and is echoed); after 24 h it is 10/2018278; HUMAN_AGENT works to 7 days', async () => {
    const c = env.sim.control;
    const { psid } = c.inboundMessage({ pageId: page.id });
    const send = (extra: Record<string, unknown> = {}) =>
      graph(env.sim, 'POST', `${page.id}/messages`, page.accessToken, {
        recipient: { id: psid },
        messaging_type: 'RESPONSE',
        message: { text: 'Hi' },
        ...extra,
      });
    expect((await send()).status).toBe(200);
    expect(c.sent().at(-1)).toMatchObject({ channel: 'messenger', to: psid, from: page.id });
    c.advanceTime(25 * hour);
    const late = await send();
    expect(late.status).toBe(400);
    expect(fixtureDiff('graph-error-window', late.json)).toEqual([]);
    expect((await send({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })).status).toBe(200);
    c.advanceTime(7 * 24 * hour);
    expect((await send({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })).status).toBe(400);
  });

  it('Instagram threads list under platform=instagram and reply through the same edge', async () => {
    const { psid } = env.sim.control.inboundMessage({
      pageId: page.id,
      platform: 'instagram',
      text: 'hola',
    });
    const list = await graph(
      env.sim,
      'GET',
      `${page.id}/conversations?platform=instagram&fields=participants,messages{message}`,
      page.accessToken,
    );
    expect(JSON.stringify(list.json)).toContain(psid);
    const res = await graph(env.sim, 'POST', 'me/messages', page.accessToken, {
      recipient: { id: psid },
      message: { text: 'hey' },
    });
    expect(res.json).toMatchObject({ recipient_id: psid });
  });

  it('only the 20 most recent messages of a thread return details', async () => {
    const c = env.sim.control;
    const first = c.inboundMessage({ pageId: page.id });
    for (let i = 0; i < 20; i++)
      c.inboundMessage({ pageId: page.id, psid: first.psid, webhook: false });
    expect(
      (await graph(env.sim, 'GET', `${first.mid}?fields=message`, page.accessToken)).status,
    ).toBe(400);
  });
});

describe('WhatsApp', () => {
  it('free-form outside the window fails with 131047; a template still goes; mark-as-read works', async () => {
    const wa = env.sim.control.createWhatsApp();
    const phone = wa.phoneNumberIds[0]!;
    const text = (to: string) =>
      graph(env.sim, 'POST', `${phone}/messages`, wa.systemUserToken, {
        messaging_product: 'whatsapp',
        to,
        type: 'text',
        text: { body: 'hello' },
      });
    const stranger = await text('+49 170 1234567');
    expect(fixtureDiff('graph-error-wa-window', stranger.json)).toEqual([]);
    const tpl = await graph(env.sim, 'POST', `${phone}/messages`, wa.systemUserToken, {
      messaging_product: 'whatsapp',
      to: '491701234567',
      type: 'template',
      template: {
        name: 'lead_follow_up',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: 'solar' },
            ],
          },
        ],
      },
    });
    expect(tpl.status).toBe(200);
    const badTpl = await graph(env.sim, 'POST', `${phone}/messages`, wa.systemUserToken, {
      messaging_product: 'whatsapp',
      to: '491701234567',
      type: 'template',
      template: { name: 'lead_follow_up', language: { code: 'en_US' } },
    });
    expect((badTpl.json.error as { code: number }).code).toBe(132000);
    const inbound = env.sim.control.whatsappInbound({ phoneNumberId: phone, from: '491701234567' });
    expect((await text('491701234567')).status).toBe(200);
    const read = await graph(env.sim, 'POST', `${phone}/messages`, wa.systemUserToken, {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: inbound.wamid,
    });
    expect(read.json).toEqual({ success: true });
    env.sim.control.advanceTime(25 * hour);
    expect((await text('491701234567')).status).toBe(400);
  });

  it('media: lookup URL downloads with the same Bearer header, not without it, not after 5 minutes', async () => {
    const wa = env.sim.control.createWhatsApp();
    const { mediaId } = env.sim.control.whatsappInbound({
      phoneNumberId: wa.phoneNumberIds[0]!,
      type: 'image',
    });
    const meta = await graph(env.sim, 'GET', mediaId!, wa.systemUserToken);
    const url = meta.json.url as string;
    expect(url.startsWith(env.sim.url)).toBe(true);
    expect((await fetch(url)).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${wa.systemUserToken}` } });
    expect(ok.status).toBe(200);
    expect((await ok.arrayBuffer()).byteLength).toBe(meta.json.file_size);
    env.sim.control.advanceTime(6 * 60_000);
    expect(
      (await fetch(url, { headers: { authorization: `Bearer ${wa.systemUserToken}` } })).status,
    ).toBe(404);
    // a page token of the same business cannot read WhatsApp objects
    expect((await graph(env.sim, 'GET', mediaId!, page.accessToken)).status).toBe(400);
    // webhook media ids resolve for 7 days
    env.sim.control.advanceTime(7 * 24 * hour);
    expect((await graph(env.sim, 'GET', mediaId!, wa.systemUserToken)).status).toBe(400);
  });

  it('injected Cloud API codes carry WhatsApp titles and error_data; register takes a 6-digit PIN', async () => {
    const wa = env.sim.control.createWhatsApp();
    const phone = wa.phoneNumberIds[0]!;
    env.sim.control.injectFault({ match: { path: `${phone}/messages` }, error: { code: 131056 } });
    const res = await graph(env.sim, 'POST', `${phone}/messages`, wa.systemUserToken, {
      messaging_product: 'whatsapp',
      to: '1',
      type: 'text',
      text: { body: 'x' },
    });
    expect(res.json.error).toMatchObject({
      code: 131056,
      message: expect.stringContaining('pair rate limit'),
      error_data: { messaging_product: 'whatsapp' },
    });
    const reg = (pin: string) =>
      graph(env.sim, 'POST', `${phone}/register`, wa.systemUserToken, {
        messaging_product: 'whatsapp',
        pin,
      });
    expect((await reg('12')).status).toBe(400);
    expect((await reg('123456')).json).toEqual({ success: true });
  });
});

describe('Conversions API', () => {
  const event = (over: Record<string, unknown> = {}, lead?: string) => ({
    event_name: 'Qualified',
    event_time: env.sim.context.state.nowS(),
    action_source: 'system_generated',
    user_data: { lead_id: lead },
    custom_data: { event_source: 'crm', lead_event_source: 'Lead Inbox' },
    ...over,
  });

  it('records an accepted batch; one bad event rejects the whole batch and records nothing', async () => {
    const c = env.sim.control;
    const form = c.createForm({ pageId: page.id });
    const lead = c.createLead({ formId: form.id, webhook: false }).id;
    const ds = c.createDataset();
    const token = c.userToken();
    const ok = await graph(env.sim, 'POST', `${ds.id}/events`, token, {
      data: [event({}, lead), event({ event_name: 'Converted' }, lead)],
    });
    expect(ok.json).toMatchObject({ events_received: 2 });
    expect(c.capiEvents().at(-1)!.events).toHaveLength(2);
    const before = c.capiEvents().length;
    const cases = [
      event({ event_time: env.sim.context.state.nowS() - 8 * 86400 }, lead),
      event({ action_source: 'website' }, lead),
      event({ custom_data: { event_source: 'crm' } }, lead),
      event({ user_data: { em: ['not-a-hash'] } }),
      event({}, '123'),
      event({ user_data: {} }),
    ];
    for (const bad of cases) {
      const res = await graph(env.sim, 'POST', `${ds.id}/events`, token, {
        data: [event({}, lead), bad],
      });
      expect(res.status).toBe(400);
      expect((res.json.error as { code: number }).code).toBe(100);
    }
    expect(c.capiEvents().length).toBe(before);
    const hashed = await graph(env.sim, 'POST', `${ds.id}/events`, token, {
      data: [event({ user_data: { em: ['a'.repeat(64)] } })],
    });
    expect(hashed.status).toBe(200);
    const tooMany = await graph(env.sim, 'POST', `${ds.id}/events`, token, {
      data: Array.from({ length: 1001 }, () => event({}, lead)),
    });
    expect(tooMany.status).toBe(400);
  });
});
