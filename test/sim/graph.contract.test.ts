import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, fixtureDiff, graph, shapeDiff, startSimWithReceiver } from './testkit';

/**
 * Graph API responses pinned to the documented shapes in test/fixtures/meta/graph-*.json, over
 * real HTTP on loopback. Each test makes the request named in the fixture's `request` line.
 */
let env: Awaited<ReturnType<typeof startSimWithReceiver>>;
let userToken: string;
let page: { id: string; accessToken: string };
let formId: string;
let paidLead: string;
let organicLead: string;

beforeAll(async () => {
  env = await startSimWithReceiver();
  const c = env.sim.control;
  userToken = c.userToken();
  page = c.createPage({ instagram: true });
  formId = c.createForm({ pageId: page.id }).id;
  c.createLeads(formId, 30);
  paidLead = c.createLead({ formId, organic: false }).id;
  organicLead = c.createLead({ formId, organic: true }).id;
});
afterAll(() => env.close());

async function expectGet(
  name: string,
  path: string,
  token: string,
): Promise<Record<string, unknown>> {
  const res = await graph(env.sim, 'GET', path, token);
  expect(res.status).toBe(200);
  expect(fixtureDiff(name, res.json)).toEqual([]);
  return res.json;
}

const leadFields =
  'id,created_time,field_data,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,form_id,is_organic,platform';

describe('Lead Ads', () => {
  it('me/accounts lists pages with page tokens and the IG account', async () => {
    const body = await expectGet(
      'graph-me-accounts',
      'me/accounts?fields=id,name,access_token,tasks,instagram_business_account{id,username}',
      userToken,
    );
    expect((body.data as { id: string }[]).map((p) => p.id)).toContain(page.id);
  });

  it('leadgen_forms with the §3 fields', async () => {
    await expectGet(
      'graph-leadgen-forms',
      `${page.id}/leadgen_forms?fields=id,name,status,locale,created_time,leads_count,expired_leads_count,organic_leads_count,questions,privacy_policy_url,page_id`,
      page.accessToken,
    );
  });

  it('form leads page with paging.next, and a paid lead / an organic lead by id', async () => {
    const filtering = encodeURIComponent(
      JSON.stringify([{ field: 'time_created', operator: 'GREATER_THAN', value: 0 }]),
    );
    await expectGet(
      'graph-form-leads',
      `${formId}/leads?fields=${leadFields}&filtering=${filtering}&limit=1`,
      page.accessToken,
    );
    await expectGet('graph-lead', `${paidLead}?fields=${leadFields}`, page.accessToken);
    const organic = await expectGet(
      'graph-lead-organic',
      `${organicLead}?fields=${leadFields}`,
      page.accessToken,
    );
    expect(organic.is_organic).toBe(true);
  });

  it('subscribed_apps GET lists the fields POST set; DELETE removes the install', async () => {
    const post = await graph(
      env.sim,
      'POST',
      `${page.id}/subscribed_apps?subscribed_fields=leadgen,messages`,
      page.accessToken,
    );
    expect(shapeDiff(fixture('graph-success').body, post.json)).toEqual([]);
    const body = await expectGet(
      'graph-subscribed-apps',
      `${page.id}/subscribed_apps`,
      page.accessToken,
    );
    expect((body.data as { subscribed_fields: string[] }[])[0]!.subscribed_fields).toEqual([
      'leadgen',
      'messages',
    ]);
    await graph(env.sim, 'DELETE', `${page.id}/subscribed_apps`, page.accessToken);
    expect(
      (await graph(env.sim, 'GET', `${page.id}/subscribed_apps`, page.accessToken)).json,
    ).toEqual({ data: [] });
  });
});

describe('Messenger', () => {
  it('conversations with nested messages, one message, the PSID profile, a send', async () => {
    const c = env.sim.control;
    const { psid, mid } = c.inboundMessage({ pageId: page.id, text: 'Hi there' });
    await expectGet(
      'graph-conversations',
      `${page.id}/conversations?platform=messenger&fields=id,updated_time,participants,messages.limit(20){id,created_time,from,to,message}`,
      page.accessToken,
    );
    await expectGet(
      'graph-message',
      `${mid}?fields=id,created_time,from,to,message`,
      page.accessToken,
    );
    await expectGet(
      'graph-psid-profile',
      `${psid}?fields=first_name,last_name,profile_pic`,
      page.accessToken,
    );
    const sent = await graph(env.sim, 'POST', `${page.id}/messages`, page.accessToken, {
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { text: 'Hello!' },
    });
    expect(shapeDiff(fixture('graph-send').body, sent.json)).toEqual([]);
  });
});

describe('WhatsApp', () => {
  it('phone numbers, templates, a text send, a template send, media lookup', async () => {
    const wa = env.sim.control.createWhatsApp();
    const phone = wa.phoneNumberIds[0]!;
    await expectGet('graph-wa-phone-numbers', `${wa.wabaId}/phone_numbers`, wa.systemUserToken);
    await expectGet('graph-wa-templates', `${wa.wabaId}/message_templates`, wa.systemUserToken);
    const inbound = env.sim.control.whatsappInbound({ phoneNumberId: phone, type: 'image' });
    const text = await graph(env.sim, 'POST', `${phone}/messages`, wa.systemUserToken, {
      messaging_product: 'whatsapp',
      to: inbound.waId,
      type: 'text',
      text: { body: 'Thanks!' },
    });
    expect(shapeDiff(fixture('graph-wa-send').body, text.json)).toEqual([]);
    const tpl = await graph(env.sim, 'POST', `${phone}/messages`, wa.systemUserToken, {
      messaging_product: 'whatsapp',
      to: '4915112345678',
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });
    expect(shapeDiff(fixture('graph-wa-send-template').body, tpl.json)).toEqual([]);
    await expectGet('graph-wa-media', inbound.mediaId!, wa.systemUserToken);
  });
});

describe('OAuth, CAPI and errors', () => {
  it('debug_token with the app token', async () => {
    await expectGet(
      'graph-debug-token',
      `debug_token?input_token=${userToken}`,
      env.sim.context.state.appToken,
    );
  });

  it('Conversions API accepts a CRM lead event', async () => {
    const ds = env.sim.control.createDataset();
    const res = await graph(env.sim, 'POST', `${ds.id}/events`, userToken, {
      data: [
        {
          event_name: 'Qualified',
          event_time: env.sim.context.state.nowS(),
          action_source: 'system_generated',
          user_data: { lead_id: paidLead },
          custom_data: { event_source: 'crm', lead_event_source: 'Lead Inbox' },
        },
      ],
    });
    expect(shapeDiff(fixture('graph-capi-events').body, res.json)).toEqual([]);
  });

  it.each([
    ['graph-error-token-expired', 'expired token'],
    ['graph-error-object', 'foreign page'],
  ])('%s (%s) has the Meta error shape', async (name) => {
    const other = env.sim.control.createPage({
      userId: env.sim.control.createUser({ name: 'Stranger' }).id,
    });
    let res;
    if (name === 'graph-error-token-expired') {
      const t = env.sim.control.userToken(undefined, { longLived: false });
      env.sim.control.expireToken(t);
      res = await graph(env.sim, 'GET', 'me', t);
    } else {
      res = await graph(env.sim, 'GET', `${other.id}?fields=name`, page.accessToken);
    }
    expect(res.status).toBe(400);
    expect(fixtureDiff(name, res.json)).toEqual([]);
  });
});

describe('shapeDiff', () => {
  it('reports missing keys, extra keys, wrong types, non-digit ids and non-Meta times', () => {
    expect(shapeDiff({ a: '1', b: 1 }, { a: '1' })).toEqual(['$.b: missing']);
    expect(shapeDiff({ a: '1' }, { a: '1', c: 2 })).toEqual(['$.c: not in the documented shape']);
    expect(shapeDiff({ a: 1 }, { a: '1' })).toEqual(['$.a: expected number, got string']);
    expect(shapeDiff({ id: '123' }, { id: 'abc' })).toHaveLength(1);
    expect(
      shapeDiff({ t: '2026-01-01T00:00:00+0000' }, { t: '2026-01-01T00:00:00.000Z' }),
    ).toHaveLength(1);
  });
});
