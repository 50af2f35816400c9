import AxeBuilder from '@axe-core/playwright';
import { expect, openApp, shot, test } from './fixture';
import { sampleLeads, seedLeads } from './seed';

test.use({ stackOptions: { offline: true } });

const views = [
  { route: '', heading: 'Home', name: 'home' },
  { route: 'leads', heading: 'Leads', name: 'leads' },
  { route: 'threads', heading: 'Threads', name: 'threads' },
  { route: 'pages', heading: 'Pages', name: 'pages' },
  { route: 'settings', heading: 'Settings', name: 'settings' },
];

/** axe-core's WCAG 2.x A/AA rules and best practices: every violation fails, whatever its impact. */
async function noAxeViolations(page: import('@playwright/test').Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.impact}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

test('every view renders empty, with a clear empty state and no accessibility violations', async ({ page, stack }) => {
  await openApp(page, stack);
  for (const v of views) {
    await page.goto(stack.host.url.replace('#/', `#/${v.route}`));
    await expect(page.getByRole('heading', { level: 1, name: v.heading })).toBeVisible();
    if (v.name === 'leads') await expect(page.getByTestId('leads-empty')).toContainText('No leads yet');
    if (v.name === 'home') await expect(page.getByTestId('stat-today')).toContainText('0');
    if (v.name === 'pages') await expect(page.getByTestId('pages-empty')).toBeVisible();
    await noAxeViolations(page);
    await shot(page, `empty-${v.name}`);
  }
});

// Pages come from a connected Facebook account: that view's data test runs on the full stack below.
for (const v of views.filter((x) => x.name !== 'pages')) {
  test(`${v.name} renders with data, in light and dark, without accessibility violations`, async ({ page, stack }) => {
    seedLeads(stack.core.db, sampleLeads());
    await openApp(page, stack, v.route);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.getByRole('heading', { level: 1, name: v.heading })).toBeVisible();
      if (v.name === 'home') await expect(page.getByTestId('stat-today')).toContainText('6');
      if (v.name === 'leads') {
        await expect(page.getByTestId('leads-count')).toHaveText('6 leads');
        await expect(page.getByRole('row', { name: /山田 花子/ })).toBeVisible();
        await expect(page.getByRole('row', { name: /محمد العلي/ })).toBeVisible();
      }
      await noAxeViolations(page);
      await shot(page, `${v.name}-${scheme}`, { readme: scheme === 'light' && (v.name === 'home' || v.name === 'leads') ? v.name : undefined });
    }
  });
}

test('the lead detail shows every answer with its label and quick actions, readable at 200% zoom', async ({ page, stack }) => {
  seedLeads(stack.core.db, sampleLeads());
  // Opened the way a notification click opens it.
  await openApp(page, stack, 'lead/9001');
  const detail = page.getByTestId('lead-detail');
  await expect(detail.getByRole('heading', { name: 'Amelia Hart' })).toBeVisible();
  await expect(detail.getByText('Which treatment are you interested in?')).toBeVisible();
  await expect(detail.getByText('Invisalign aligners')).toBeVisible();
  await expect(detail.getByRole('link', { name: 'WhatsApp' })).toHaveAttribute('href', 'https://wa.me/14155550142');
  await expect(detail.getByRole('link', { name: /Call/ })).toHaveAttribute('href', 'tel:+14155550142');
  await noAxeViolations(page);
  await shot(page, 'lead-detail');
  // 200% zoom: half the CSS width; the detail stacks under the list and nothing needs sideways scrolling.
  await page.setViewportSize({ width: 640, height: 400 });
  await expect(detail.getByRole('heading', { name: 'Amelia Hart' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
  await shot(page, 'lead-detail-zoom-200');
});

test.describe('with Facebook connected', () => {
  test.use({ stackOptions: {} });
  test('pages renders each connected page with its forms and sync state', async ({ page, stack }) => {
    const fbPage = stack.sim!.control.createPage({ name: 'Bakery Berlin', subscribed: false });
    stack.sim!.control.createForm({ pageId: fbPage.id, name: 'Cake orders' });
    await stack.connect();
    await openApp(page, stack, 'pages');
    await expect(page.getByRole('heading', { level: 2, name: 'Bakery Berlin' })).toBeVisible();
    await expect(page.getByRole('checkbox', { name: 'Receive leads from this page' })).toBeChecked();
    await expect(page.getByRole('rowheader', { name: 'Cake orders' })).toBeVisible();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await noAxeViolations(page);
      await shot(page, `pages-${scheme}`);
    }
  });

  test('a page whose login broke shows the problem and Reconnect heals it', async ({ page, stack }) => {
    const fbPage = stack.sim!.control.createPage({ name: 'Bakery Berlin', subscribed: false });
    await stack.connect();
    stack.sim!.control.revokeToken({ userId: stack.sim!.control.ownerId(), subcode: 460 });
    await stack.core.dispatch('sync.now', { pageId: fbPage.id }).catch(() => undefined);
    await openApp(page, stack, 'pages');
    const problem = page.getByRole('alert').filter({ hasText: /password changed/ });
    await expect(problem).toBeVisible();
    await noAxeViolations(page);
    await problem.getByRole('button', { name: /Reconnect/ }).click();
    await expect(page.getByRole('alert').filter({ hasText: /password changed/ })).toHaveCount(0);
    await expect(page.getByText('Reconnected.')).toBeVisible();
  });

  test('settings: disconnect and delete data asks first, then leaves no account, lead or token', async ({ page, stack }) => {
    const fbPage = stack.sim!.control.createPage({ name: 'Bakery Berlin', subscribed: false });
    await stack.connect();
    const form = stack.sim!.control.createForm({ pageId: fbPage.id, name: 'Cake orders' });
    stack.sim!.control.createLead({ formId: form.id, fieldData: [{ name: 'full_name', values: ['Jana Müller'] }] });
    await openApp(page, stack, 'leads');
    await expect(page.getByRole('row', { name: /Jana Müller/ })).toBeVisible({ timeout: 15_000 });
    await page.goto(stack.host.url.replace('#/', '#/settings'));

    const opener = page.getByRole('button', { name: 'Disconnect and delete data…' });
    await opener.click();
    const dialog = page.getByRole('alertdialog', { name: 'Disconnect and delete everything?' });
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await noAxeViolations(page);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(opener).toBeFocused();
    expect(stack.core.db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(1);

    await opener.click();
    await dialog.getByRole('button', { name: 'Delete everything' }).click();
    await expect(page.getByText(/Disconnected and deleted 1 leads/)).toBeVisible();
    await expect(page.getByText('Not connected yet.')).toBeVisible();
    expect(stack.core.db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(0);
    expect(stack.core.db.prepare('SELECT count(*) FROM pages').pluck().get()).toBe(0);
    const keychain = (await stack.keychainAccounts()).filter((a) => a !== 'relay:install');
    expect(keychain).toEqual([]);
    await page.goto(stack.host.url.replace('#/', '#/leads'));
    await expect(page.getByTestId('leads-empty')).toBeVisible();
    await expect(page.getByRole('row', { name: /Jana Müller/ })).toHaveCount(0);
  });
});
