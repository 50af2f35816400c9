import { clickNotification, expect, notificationsShown, openApp, shot, test } from './fixture';

/**
 * The first lead, end to end, as the owner sees it: a lead submitted on "Facebook" (the simulator)
 * is signed and delivered to the relay, streamed to the core, fetched from the Graph API, stored,
 * and appears in the open window without a reload, with a notification that opens it.
 */
test('a lead created in the simulator appears on screen without a reload, with a notification', async ({ page, stack }) => {
  const sim = stack.sim!;
  const fbPage = sim.control.createPage({ name: 'Bakery Berlin', subscribed: false });
  const form = sim.control.createForm({ pageId: fbPage.id, name: 'Cake orders' });
  await stack.connect();
  await openApp(page, stack, 'leads');
  await expect(page.getByTestId('leads-empty')).toBeVisible();
  const marker = await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = Math.random()));

  const lead = sim.control.createLead({
    formId: form.id,
    fieldData: [
      { name: 'full_name', values: ['Jana Müller'] },
      { name: 'email', values: ['jana@example.de'] },
      { name: 'phone_number', values: ['030 1234567'] },
    ],
  });

  const row = page.getByRole('row', { name: /Jana Müller/ });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row).toHaveClass(/fresh/);
  await expect(page.getByTestId('leads-count')).toHaveText('1 lead');
  // Same document: nothing reloaded the page.
  expect(await page.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(marker);
  await expect.poll(async () => (await notificationsShown(page)).map((n) => n.title)).toContain('New lead: Jana Müller');
  await shot(page, 'live-lead');

  // Clicking the notification opens the lead's detail.
  await page.evaluate(() => (location.hash = '#/'));
  await clickNotification(page, /New lead: Jana Müller/);
  await expect(page).toHaveURL(new RegExp(`#/lead/${lead.id}$`));
  await expect(page.getByTestId('lead-detail').getByRole('heading', { name: 'Jana Müller' })).toBeVisible();
  await expect(page.getByTestId('lead-detail').getByText('Cake orders', { exact: true }).first()).toBeVisible();
});

test('the history a first sync brings in fills the open Leads list without a reload', async ({ page, stack }) => {
  const sim = stack.sim!;
  const fbPage = sim.control.createPage({ name: 'Bakery Berlin', subscribed: false });
  const form = sim.control.createForm({ pageId: fbPage.id, name: 'Cake orders' });
  const nowS = Math.floor(Date.now() / 1000);
  sim.control.createLeads(form.id, 240, { fromS: nowS - 20 * 86400, toS: nowS - 2 * 86400 });
  await openApp(page, stack, 'leads');
  await expect(page.getByTestId('leads-empty')).toBeVisible();
  const marker = await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = Math.random()));

  // Old leads are history, not news: no lead.received per lead, so the list follows the sync itself.
  await stack.connect();
  await expect(page.getByTestId('leads-count')).toHaveText('240 leads', { timeout: 15_000 });
  await expect(page.getByRole('row').nth(1)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(marker);
  expect(await notificationsShown(page)).toEqual([]);
});

test('a steady stream of leads shows up while it lasts, every row with its name', async ({ page, stack }) => {
  const sim = stack.sim!;
  const fbPage = sim.control.createPage({ name: 'Bakery Berlin', subscribed: false });
  const form = sim.control.createForm({ pageId: fbPage.id, name: 'Cake orders' });
  await stack.connect();
  await openApp(page, stack, 'leads');
  await expect(page.getByTestId('leads-empty')).toBeVisible();
  // 10 leads a second for 5 s: the list must follow the stream, not wait for a quiet moment.
  const total = 50;
  let sent = 0;
  const stream = new Promise<void>((done) => {
    const timer = setInterval(() => {
      sim.control.createLead({ formId: form.id, fieldData: [{ name: 'full_name', values: [`Stream Lead ${sent}`] }] });
      if (++sent === total) {
        clearInterval(timer);
        done();
      }
    }, 100);
  });
  await expect(page.getByRole('row', { name: /Stream Lead \d/ }).first()).toBeVisible({ timeout: 15_000 });
  expect(sent).toBeLessThan(total);
  await stream;
  await expect(page.getByTestId('leads-count')).toHaveText(`${total} leads`, { timeout: 15_000 });
  await expect(page.getByRole('row', { name: /Stream Lead 49\b/ })).toBeVisible();
  await expect(page.getByText('Fetching…')).toHaveCount(0);
});
