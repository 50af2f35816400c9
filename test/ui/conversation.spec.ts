/**
 * Threads cases test/ui/threads.spec.ts does not cover: the note a newly connected WhatsApp number
 * shows before anyone writes (WhatsApp has no history API), a WhatsApp voice message and document
 * opened in the conversation, and a Messenger reaction appearing and going away live.
 */
import { whatsappEntry } from '../sim/payloads';
import { expect, openApp, test, type Stack } from './fixture';

async function call(stack: Stack, method: string, input: unknown = {}): Promise<unknown> {
  const r = await stack.core.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
}

/**
 * An inbound WhatsApp media message as Meta sends it (type audio / document with the media id,
 * mime_type and sha256). The simulator's control only makes images, so the payload is built here
 * from its own parts: the stored media, the contact and the signed webhook sender.
 */
function whatsappMedia(
  stack: Stack,
  input: {
    phoneNumberId: string;
    waId: string;
    userId: string;
    name: string;
    type: 'audio' | 'document';
    bytes: Buffer;
    mimeType: string;
    extra: Record<string, unknown>;
  },
): void {
  const sim = stack.sim!;
  const phone = sim.context.state.phones.get(input.phoneNumberId)!;
  const media = sim.control.createMedia(phone.id, input.bytes, input.mimeType);
  const message = {
    from: input.waId,
    from_user_id: input.userId,
    id: sim.control.newWamid(),
    timestamp: String(Math.floor(sim.context.state.nowMs() / 1000)),
    type: input.type,
    [input.type]: { mime_type: media.mimeType, sha256: media.sha256, id: media.id, ...input.extra },
  };
  sim.context.webhooks.send(
    'whatsapp_business_account',
    whatsappEntry(phone.wabaId, {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: phone.displayPhoneNumber, phone_number_id: phone.id },
      contacts: [{ profile: { name: input.name }, wa_id: input.waId, user_id: input.userId }],
      messages: [message],
    }),
  );
}

test('a newly connected WhatsApp number says why there is no history yet', async ({
  page,
  stack,
}) => {
  const wa = stack.sim!.control.createWhatsApp({ phones: 1 });
  await call(stack, 'whatsapp.connect', {
    wabaId: wa.wabaId,
    phoneNumberId: wa.phoneNumberIds[0],
    token: wa.systemUserToken,
  });
  await openApp(page, stack, 'threads');
  await page.getByRole('button', { name: /^WhatsApp/ }).click();
  await expect(
    page.getByText(
      'No WhatsApp conversations yet. WhatsApp has no history API: conversations appear from the moment a number is connected, as people write.',
    ),
  ).toBeVisible();
  // The first message replaces the note with the conversation, live.
  stack.sim!.control.whatsappInbound({
    phoneNumberId: wa.phoneNumberIds[0]!,
    from: '4915123450001',
    name: 'Lena Vogel',
    text: 'Hallo!',
  });
  await expect(page.getByRole('link', { name: /Lena Vogel/ })).toBeVisible();
  await expect(page.getByText(/No WhatsApp conversations yet/)).toHaveCount(0);
});

test('a WhatsApp voice message and a document open in the conversation', async ({
  page,
  stack,
}) => {
  const sim = stack.sim!;
  const wa = sim.control.createWhatsApp({ phones: 1 });
  const phoneNumberId = wa.phoneNumberIds[0]!;
  await call(stack, 'whatsapp.connect', {
    wabaId: wa.wabaId,
    phoneNumberId,
    token: wa.systemUserToken,
  });
  const name = 'Jana Weiß';
  const first = sim.control.whatsappInbound({
    phoneNumberId,
    from: '4915123450000',
    name,
    text: 'Ich schicke Ihnen die Unterlagen.',
  });
  const who = { phoneNumberId, waId: first.waId, userId: first.userId, name };
  const ogg = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60)]);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  whatsappMedia(stack, {
    ...who,
    type: 'audio',
    bytes: ogg,
    mimeType: 'audio/ogg',
    extra: { voice: true },
  });
  whatsappMedia(stack, {
    ...who,
    type: 'document',
    bytes: pdf,
    mimeType: 'application/pdf',
    extra: { filename: 'Angebot-2026.pdf', caption: 'Das Angebot' },
  });

  await openApp(page, stack, 'threads');
  await page.getByRole('link', { name: new RegExp(name) }).click();
  const log = page.getByRole('list', { name: `Messages with ${name}` });
  await expect(log.getByText('Ich schicke Ihnen die Unterlagen.')).toBeVisible();

  const voice = log.getByRole('listitem').filter({ hasText: 'Voice message' });
  await expect(voice).toHaveCount(1);
  await voice.getByRole('button', { name: 'Show audio' }).click();
  // Loaded, the bubble holds the player instead of the button, named for what it plays.
  const player = log.getByLabel('Voice message', { exact: true });
  await expect(player).toBeVisible();
  expect(await player.evaluate((el) => el.tagName)).toBe('AUDIO');
  expect(await player.getAttribute('src')).toMatch(/^data:audio\/ogg/); // bytes fetched through main, no token in a URL

  const doc = log.getByRole('listitem').filter({ hasText: 'Angebot-2026.pdf' });
  await expect(doc).toContainText('Das Angebot');
  await doc.getByRole('button', { name: 'Show file' }).click();
  const save = doc.getByRole('link', { name: /Save Angebot-2026\.pdf/ });
  await expect(save).toHaveAttribute('download', 'Angebot-2026.pdf');
  const href = (await save.getAttribute('href'))!;
  expect(href).toMatch(/^data:application\/pdf/);
  expect(Buffer.from(href.slice(href.indexOf(',') + 1), 'base64').toString('latin1')).toBe(
    pdf.toString('latin1'),
  );
});

test('a Messenger reaction shows on the message and goes away when taken back', async ({
  page,
  stack,
}) => {
  const sim = stack.sim!;
  const fbPage = sim.control.createPage({ name: 'Corner Café', subscribed: false });
  await stack.connect();
  const { psid, mid } = sim.control.inboundMessage({
    pageId: fbPage.id,
    text: 'Is the terrace open today?',
  });
  await openApp(page, stack, 'threads');
  await page.getByRole('link', { name: /Is the terrace open today\?/ }).click();
  const bubble = page
    .getByRole('list', { name: /^Messages with/ })
    .getByRole('listitem')
    .filter({ hasText: 'Is the terrace open today?' });
  await expect(bubble).toBeVisible();
  await expect(bubble.getByLabel(/^Reactions:/)).toHaveCount(0);

  sim.control.messengerReaction({ pageId: fbPage.id, psid, mid, reaction: 'love', emoji: '❤️' });
  await expect(bubble.getByLabel('Reactions: ❤️')).toBeVisible(); // live, no reload
  sim.control.messengerReaction({ pageId: fbPage.id, psid, mid, action: 'unreact' });
  await expect(bubble.getByLabel(/^Reactions:/)).toHaveCount(0);
});
