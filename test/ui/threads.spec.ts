import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, openApp, shot, test, type Stack } from './fixture';

const HOUR = 3_600_000;

async function call(stack: Stack, method: string, input: unknown = {}): Promise<unknown> {
  const r = await stack.core.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
}

async function noSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** Facebook login through the simulator's dialog, then the page enabled: its webhooks now reach us. */
async function connectPage(stack: Stack): Promise<{ pageId: string }> {
  const page = stack.sim!.control.createPage({ name: 'Corner Café', subscribed: false });
  const login = (await call(stack, 'auth.connectFacebook')) as { outcome: string };
  expect(login.outcome).toBe('connected');
  await call(stack, 'pages.setEnabled', { pageId: page.id, enabled: true });
  return { pageId: page.id };
}

test('a Messenger thread updates live: new message, reply, read mark — keyboard only', async ({ page, stack }) => {
  const { pageId } = await connectPage(stack);
  await openApp(page, stack, 'threads');
  await expect(page.getByRole('heading', { level: 1, name: 'Threads' })).toBeVisible();

  const { psid } = stack.sim!.control.inboundMessage({ pageId, text: 'Hi! Do you have oat milk?' });
  const list = page.getByRole('list', { name: 'Conversations' });
  const row = list.getByRole('link', { name: /Do you have oat milk\?/ });
  await expect(row).toBeVisible(); // arrived without a reload
  await expect(row.getByLabel('1 unread')).toBeVisible();

  await row.focus();
  await page.keyboard.press('Enter');
  const log = page.getByRole('list', { name: /^Messages with/ });
  await expect(log.getByText('Hi! Do you have oat milk?')).toBeVisible();
  await expect(row.getByLabel('1 unread')).toHaveCount(0); // opening marks it read
  await expect(page.getByRole('status').filter({ hasText: /Reply window: .* left/ })).toBeVisible();

  const box = page.getByRole('textbox', { name: 'Message' });
  await box.focus();
  await page.keyboard.type('Yes, and almond too.');
  await page.keyboard.press('Enter');
  const mine = log.getByRole('listitem').filter({ hasText: 'Yes, and almond too.' });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByLabel('Sent', { exact: true })).toBeVisible();
  expect(stack.sim!.control.sent().map((s) => s.to)).toEqual([psid]);

  // The person reads it: the read mark appears live; a second message arrives in the open thread.
  stack.sim!.control.messengerRead({ pageId, psid });
  await expect(mine.getByLabel('Read', { exact: true })).toBeVisible();
  stack.sim!.control.inboundMessage({ pageId, psid, text: 'Great, see you at 10' });
  await expect(log.getByText('Great, see you at 10')).toBeVisible();
  await expect(mine).toHaveCount(1); // the echo of our reply did not duplicate it
  const person = stack.sim!.context.state.persons.get(psid)!;
  await expect(page.getByRole('heading', { level: 2, name: `${person.firstName} ${person.lastName}` })).toBeVisible();

  await noSeriousViolations(page);
  await shot(page, 'threads-messenger');
});

test('WhatsApp: media on request, and outside 24 h the composer offers approved templates', async ({ page, stack }) => {
  const sim = stack.sim!;
  const wa = sim.control.createWhatsApp({ phones: 1, displayNumbers: ['15550001234'] });
  const phoneNumberId = wa.phoneNumberIds[0]!;
  await call(stack, 'whatsapp.connect', { wabaId: wa.wabaId, phoneNumberId, token: wa.systemUserToken });
  // A photo sent 26 hours ago: the customer-service window is closed.
  sim.control.advanceTime(-26 * HOUR);
  sim.control.whatsappInbound({ phoneNumberId, from: '5511955550199', name: 'Lucas Ferreira', type: 'image', text: 'Is this one available?' });
  sim.control.advanceTime(26 * HOUR);

  await openApp(page, stack, 'threads');
  await page.getByRole('button', { name: /^WhatsApp/ }).click();
  await page.getByRole('link', { name: /Lucas Ferreira/ }).click();
  await expect(page.getByRole('heading', { name: 'Lucas Ferreira' })).toBeVisible();
  await expect(page.getByText('WhatsApp has no message history API', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Show photo' }).click();
  const img = page.getByRole('img', { name: 'Is this one available?' });
  await expect(img).toBeVisible();
  expect(await img.getAttribute('src')).toMatch(/^data:image\//); // bytes, never a URL with a token

  await expect(page.getByRole('status').filter({ hasText: /approved template/ })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
  await page.getByLabel('Template').selectOption({ label: 'lead_follow_up (en_US, utility)' });
  await page.getByLabel('Value for {{1}}').fill('Lucas');
  await page.getByLabel('Value for {{2}}').fill('the blue sofa');
  await expect(page.getByLabel('Preview')).toHaveText('Hi Lucas, thanks for your interest in the blue sofa. When is a good time to call?');
  await page.getByRole('button', { name: 'Send template' }).click();
  const sent = page.getByRole('list', { name: /^Messages with/ }).getByRole('listitem').filter({ hasText: 'the blue sofa' });
  await expect(sent.getByLabel('Delivered', { exact: true })).toBeVisible();
  expect(sim.control.sent().at(-1)!.body).toMatchObject({ type: 'template', template: { name: 'lead_follow_up' } });

  await noSeriousViolations(page);
  await shot(page, 'threads-whatsapp');
});

test('every inbound kind is shown in the conversation (WhatsApp and Messenger)', async ({ page, stack }) => {
  const sim = stack.sim!;
  const wa = sim.control.createWhatsApp({ phones: 1 });
  const phoneNumberId = wa.phoneNumberIds[0]!;
  await call(stack, 'whatsapp.connect', { wabaId: wa.wabaId, phoneNumberId, token: wa.systemUserToken });
  const from = '4915123450000';
  const first = sim.control.whatsappInbound({ phoneNumberId, from, name: 'Jana Weiß', text: 'Guten Tag!' });
  for (const type of ['image', 'location', 'contacts', 'button', 'interactive'] as const) sim.control.whatsappInbound({ phoneNumberId, from, type });
  sim.control.whatsappInbound({ phoneNumberId, from, type: 'reaction', contextId: first.wamid });

  await openApp(page, stack, 'threads');
  await page.getByRole('link', { name: /Jana Weiß/ }).click();
  const log = page.getByRole('list', { name: 'Messages with Jana Weiß' });
  await expect(log.getByText('Guten Tag!')).toBeVisible();
  await expect(log.getByRole('listitem').filter({ hasText: 'Guten Tag!' }).getByLabel('Reactions: 👍')).toBeVisible();
  await expect(log.getByRole('button', { name: 'Show photo' })).toBeVisible();
  await expect(log.getByText('Puerta del Sol, Plaza de la Puerta del Sol, Madrid').first()).toBeVisible();
  await expect(log.getByText('Jürgen Müller')).toBeVisible();
  await expect(log.getByText('Call me')).toBeVisible();
  await expect(log.getByText('Morning')).toBeVisible();
  await expect(page.getByRole('link', { name: /Jana Weiß/ }).getByLabel(/unread/)).toHaveCount(0); // opened = read

  const { pageId } = await connectPage(stack);
  const { psid } = sim.control.inboundMessage({ pageId, text: 'Look at this', attachments: [{ type: 'image', url: `${sim.url}/_media/avatar/x.png` }] });
  sim.control.messengerPostback({ pageId, psid, title: 'Book a table' });
  await page.getByRole('link', { name: /Book a table/ }).click();
  const mlog = page.getByRole('list', { name: /^Messages with/ });
  await expect(mlog.getByText('Look at this')).toBeVisible();
  await expect(mlog.getByRole('button', { name: 'Show photo' })).toBeVisible();
  await expect(mlog.getByRole('listitem').filter({ hasText: 'Book a table' })).toContainText('Tapped:');
  // A half-typed reply survives switching threads.
  await page.getByRole('textbox', { name: 'Message' }).fill('We have a table at 8');
  await page.getByRole('link', { name: /Jana Weiß/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Jana Weiß' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('');
  await page.getByRole('link', { name: /Book a table/ }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('We have a table at 8');
  await noSeriousViolations(page);
  await shot(page, 'threads-kinds');
  await page.emulateMedia({ colorScheme: 'dark' });
  await noSeriousViolations(page); // contrast holds in the dark theme too
  await shot(page, 'threads-kinds-dark');
});
