import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDiff, startSimWithReceiver, testSecret, type Received } from './testkit';

/**
 * Every webhook kind the simulator sends, pinned to the documented payload in
 * test/fixtures/meta/webhook-*.json (each cites its meta-platform.md section), received by a real
 * HTTP server on loopback and checked against an HMAC computed here, independently of the sim.
 */
let env: Awaited<ReturnType<typeof startSimWithReceiver>>;
let pageId: string;
let igPageId: string;
let formId: string;
let phoneId: string;

beforeAll(async () => {
  env = await startSimWithReceiver();
  const c = env.sim.control;
  pageId = c.createPage({ name: 'Café Ümlaut' }).id;
  igPageId = c.createPage({ instagram: true }).id;
  formId = c.createForm({ pageId, locale: 'de_DE' }).id;
  phoneId = c.createWhatsApp().phoneNumberIds[0]!;
});
afterAll(() => env.close());

async function next(
  trigger: () => void,
): Promise<{ body: Record<string, unknown>; received: Received }> {
  const before = env.hooks.received.length;
  trigger();
  const all = await env.hooks.waitFor(before + 1);
  const received = all[before]!;
  return { body: JSON.parse(received.raw.toString('utf8')) as Record<string, unknown>, received };
}

function expectShape(name: string, body: unknown): void {
  expect(fixtureDiff(name, body)).toEqual([]);
}

describe('webhook payloads match the documented shapes', () => {
  it('leadgen (paid): ids only, no field_data', async () => {
    const { body } = await next(() => env.sim.control.createLead({ formId, organic: false }));
    expectShape('webhook-leadgen', body);
    expect(JSON.stringify(body)).not.toContain('field_data');
  });

  it('leadgen (organic): no ad ids', async () => {
    const { body } = await next(() => env.sim.control.createLead({ formId, organic: true }));
    expectShape('webhook-leadgen-organic', body);
  });

  it('Messenger message, echo, delivery, read, postback, reaction', async () => {
    const c = env.sim.control;
    const msg = await next(() => c.inboundMessage({ pageId, text: 'Grüße aus München' }));
    expectShape('webhook-messenger-message', msg.body);
    const event = (
      msg.body.entry as { messaging: { sender: { id: string }; message: { mid: string } }[] }[]
    )[0]!.messaging[0]!;
    const psid = event.sender.id;
    const mid = event.message.mid;
    expectShape(
      'webhook-messenger-echo',
      (await next(() => c.echoMessage({ pageId, psid, text: 'Danke!' }))).body,
    );
    expectShape(
      'webhook-messenger-delivery',
      (await next(() => c.messengerDelivery({ pageId, psid, mids: [mid] }))).body,
    );
    expectShape(
      'webhook-messenger-read',
      (await next(() => c.messengerRead({ pageId, psid }))).body,
    );
    expectShape(
      'webhook-messenger-postback',
      (await next(() => c.messengerPostback({ pageId, psid }))).body,
    );
    expectShape(
      'webhook-messenger-reaction',
      (await next(() => c.messengerReaction({ pageId, psid, mid }))).body,
    );
  });

  it('Instagram message: object instagram, entry id is the IG account', async () => {
    const { body } = await next(() =>
      env.sim.control.inboundMessage({
        pageId: igPageId,
        platform: 'instagram',
        text: 'こんにちは',
      }),
    );
    expectShape('webhook-instagram-message', body);
    const igId = env.sim.context.state.pages.get(igPageId)!.igAccount!.id;
    expect((body.entry as { id: string }[])[0]!.id).toBe(igId);
  });

  it.each([
    ['text', 'webhook-whatsapp-text', undefined],
    ['image', 'webhook-whatsapp-image', undefined],
    ['location', 'webhook-whatsapp-location', undefined],
    ['contacts', 'webhook-whatsapp-contacts', undefined],
    ['button', 'webhook-whatsapp-button', 'wamid.CONTEXT'],
    ['interactive', 'webhook-whatsapp-interactive', 'wamid.CONTEXT'],
  ] as const)('WhatsApp %s message', async (type, name, contextId) => {
    const { body } = await next(() =>
      env.sim.control.whatsappInbound({ phoneNumberId: phoneId, type, contextId }),
    );
    expectShape(name, body);
  });

  it.each(['sent', 'delivered', 'read', 'failed'] as const)(
    'WhatsApp %s status',
    async (status) => {
      const { wamid } = env.sim.control.whatsappInbound({ phoneNumberId: phoneId, webhook: false });
      const { body } = await next(() =>
        env.sim.control.whatsappStatus({ phoneNumberId: phoneId, wamid, status }),
      );
      expectShape(`webhook-whatsapp-status-${status}`, body);
    },
  );

  it('permission revoked', async () => {
    const user = env.sim.control.createUser({ name: 'Revoker' });
    const { body } = await next(() => env.sim.control.revokePermission(user.id, 'leads_retrieval'));
    expectShape('webhook-permissions-revoked', body);
  });
});

describe('signatures and bytes', () => {
  it('signs the exact raw body: sha256 and legacy sha1 match an independent HMAC', async () => {
    const { received } = await next(() =>
      env.sim.control.inboundMessage({ pageId, text: 'مرحبا 👋 https://example.com/a' }),
    );
    const sha256 = createHmac('sha256', testSecret).update(received.raw).digest('hex');
    const sha1 = createHmac('sha1', testSecret).update(received.raw).digest('hex');
    expect(received.headers['x-hub-signature-256']).toBe(`sha256=${sha256}`);
    expect(received.headers['x-hub-signature']).toBe(`sha1=${sha1}`);
  });

  it('escapes non-ASCII as \\uXXXX like Meta, so re-serialised JSON would not verify', async () => {
    const { received, body } = await next(() =>
      env.sim.control.inboundMessage({ pageId, text: 'Jürgen 日本 👋' }),
    );
    const raw = received.raw.toString('utf8');
    expect([...raw].every((ch) => ch.charCodeAt(0) < 0x80)).toBe(true);
    expect(raw).toContain('J\\u00fcrgen \\u65e5\\u672c \\ud83d\\udc4b');
    const text = (body.entry as { messaging: { message: { text: string } }[] }[])[0]!.messaging[0]!
      .message.text;
    expect(text).toBe('Jürgen 日本 👋');
    const reserialised = JSON.stringify(body);
    expect(createHmac('sha256', testSecret).update(reserialised).digest('hex')).not.toBe(
      createHmac('sha256', testSecret).update(received.raw).digest('hex'),
    );
  });
});
