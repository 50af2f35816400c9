import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Relay } from '../../relay/server';
import { signBody } from '../../relay/verify';
import {
  APP_SECRET,
  VERIFY_TOKEN,
  TestClient,
  bindDirect,
  countRows,
  leadgenBody,
  postWebhook,
  register,
  startRelay,
  tempDir,
} from './helpers';

let tmp: ReturnType<typeof tempDir>;
let relay: Relay;

beforeEach(async () => {
  tmp = tempDir();
  relay = await startRelay(tmp.dir, { maxBodyBytes: 64 * 1024 });
});
afterEach(async () => {
  await relay.close();
  tmp.cleanup();
});

describe('webhook verification (GET /webhooks/meta)', () => {
  const get = async (query: string) => {
    const res = await fetch(`${relay.url}/webhooks/meta?${query}`);
    return { status: res.status, body: await res.text() };
  };

  it('echoes the raw challenge when the verify token matches', async () => {
    const r = await get(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(r).toEqual({ status: 200, body: '1158201444' });
  });

  it.each([
    ['wrong token', `hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`],
    ['wrong mode', `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`],
    ['no challenge', `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}`],
    ['nothing', ''],
  ])('answers 403 for %s', async (_name, query) => {
    expect((await get(query)).status).toBe(403);
  });
});

describe('signature matrix (POST /webhooks/meta)', () => {
  const body = leadgenBody('page-1', 'lead-1');
  const cases: [string, string | null, string | Buffer][] = [
    ['missing header', null, body],
    ['wrong secret', signBody(body, 'another-secret'), body],
    ['altered body', signBody(body, APP_SECRET), body.replace('lead-1', 'lead-2')],
    ['sha1 scheme only', 'sha1=' + 'a'.repeat(40), body],
    ['truncated digest', signBody(body, APP_SECRET).slice(0, 40), body],
    ['not hex', 'sha256=' + 'z'.repeat(64), body],
    ['empty', '', body],
  ];

  it.each(cases)('%s → 401 and nothing stored', async (_name, signature, sent) => {
    expect(await postWebhook(relay.url, sent, signature)).toBe(401);
    expect(countRows(tmp.dir, 'events')).toBe(0);
  });

  it('a valid signature → 200 and the event is stored', async () => {
    expect(await postWebhook(relay.url, body)).toBe(200);
    expect(countRows(tmp.dir, 'events')).toBe(1);
  });

  it('accepts an upper-case hex digest (Meta compares the digest value, not its spelling)', async () => {
    const sig = 'sha256=' + signBody(body, APP_SECRET).slice(7).toUpperCase();
    expect(await postWebhook(relay.url, body, sig)).toBe(200);
  });
});

describe('bad-input matrix', () => {
  const cases: [string, string, number][] = [
    ['not JSON', 'object=page&entry=1', 400],
    ['JSON array', '[1,2]', 400],
    ['no object', '{"entry":[]}', 400],
    ['object not a string', '{"object":1,"entry":[]}', 400],
    ['no entry', '{"object":"page"}', 400],
    ['entry not an array', '{"object":"page","entry":{}}', 400],
    ['entry element not an object', '{"object":"page","entry":[1]}', 400],
    ['truncated JSON', '{"object":"page","entry":[{"id":"1"}', 400],
    ['over the size limit', JSON.stringify({ object: 'page', entry: [{ id: '1', pad: 'x'.repeat(70_000) }] }), 413],
  ];

  it.each(cases)('%s → %i and nothing stored', async (_name, body, status) => {
    expect(await postWebhook(relay.url, body)).toBe(status);
    expect(countRows(tmp.dir, 'events')).toBe(0);
  });

  it('unknown objects are stored, not refused', async () => {
    expect(await postWebhook(relay.url, '{"object":"user","entry":[{"id":"u1","changes":[]}]}')).toBe(200);
    expect(countRows(tmp.dir, 'events')).toBe(1);
  });

  it('refusals are counted by reason in /metrics', async () => {
    await postWebhook(relay.url, '{}', null);
    await postWebhook(relay.url, '{', signBody('{', APP_SECRET));
    const text = await (await fetch(`${relay.url}/metrics`)).text();
    expect(text).toContain('relay_webhooks_rejected_total{reason="missing_signature"} 1');
    expect(text).toContain('relay_webhooks_rejected_total{reason="not_json"} 1');
  });
});

describe('splitting a delivery into events', () => {
  it('delivers each entry with its exact raw bytes (escapes, spacing and number forms kept)', async () => {
    const entryA = '{"id":"page-1","time":1.50e3,"changes":[{"field":"leadgen","value":{"name":"J\\u00e4ger \\"x\\""}}]}';
    const entryB = '{ "id" : "page-1" , "messaging" : [ {"message":{"text":"}]{["}} ] }';
    const body = `{"entry": [ ${entryA} ,\n ${entryB}], "object":"page"}`;
    const install = await register(relay.url);
    bindDirect(tmp.dir, install.installId, 'page', 'page-1');
    await relay.close();
    relay = await startRelay(tmp.dir);
    expect(await postWebhook(relay.url, body)).toBe(200);
    const client = await TestClient.connect(relay.url, install.bearer);
    client.hello(null);
    await client.until(() => client.events().length === 2, 'two events');
    expect(client.events().map((e) => e.raw)).toEqual([entryA, entryB]);
    expect(client.events().map((e) => [e.object, e.kind, e.assetId])).toEqual([
      ['page', 'page', 'page-1'],
      ['page', 'page', 'page-1'],
    ]);
    await client.close();
  });

  it('routes WhatsApp by WABA id and by phone_number_id, and other objects by entry id', async () => {
    const byWaba = await register(relay.url);
    const byPhone = await register(relay.url);
    const ig = await register(relay.url);
    bindDirect(tmp.dir, byWaba.installId, 'whatsapp', 'waba-1');
    bindDirect(tmp.dir, byPhone.installId, 'whatsapp', 'phone-9');
    bindDirect(tmp.dir, ig.installId, 'instagram', 'ig-1');
    await relay.close();
    relay = await startRelay(tmp.dir);
    const wa = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'waba-1',
          changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: 'phone-9' } } }],
        },
      ],
    };
    expect(await postWebhook(relay.url, JSON.stringify(wa))).toBe(200);
    expect(await postWebhook(relay.url, '{"object":"instagram","entry":[{"id":"ig-1","messaging":[]}]}')).toBe(200);
    const clients = await Promise.all([byWaba, byPhone, ig].map((i) => TestClient.connect(relay.url, i.bearer)));
    for (const c of clients) c.hello(null);
    await Promise.all(clients.map((c) => c.until(() => c.events().length >= 1, 'one event')));
    expect(clients.map((c) => c.events().map((e) => `${e.kind}:${e.assetId}`))).toEqual([
      ['whatsapp:waba-1'],
      ['whatsapp:waba-1'],
      ['instagram:ig-1'],
    ]);
    await Promise.all(clients.map((c) => c.close()));
  });
});
