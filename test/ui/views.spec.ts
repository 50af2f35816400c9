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

async function noSeriousViolations(page: import('@playwright/test').Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

test('every view renders empty, with a clear empty state and no serious accessibility problems', async ({ page, stack }) => {
  await openApp(page, stack);
  for (const v of views) {
    await page.goto(stack.host.url.replace('#/', `#/${v.route}`));
    await expect(page.getByRole('heading', { level: 1, name: v.heading })).toBeVisible();
    if (v.name === 'leads') await expect(page.getByTestId('leads-empty')).toContainText('No leads yet');
    if (v.name === 'home') await expect(page.getByTestId('stat-today')).toContainText('0');
    if (v.name === 'pages') await expect(page.getByTestId('pages-empty')).toBeVisible();
    await noSeriousViolations(page);
    await shot(page, `empty-${v.name}`);
  }
});

test('every view renders with data, in light and dark, without serious accessibility problems', async ({ page, stack }) => {
  seedLeads(stack.core.db, sampleLeads());
  await openApp(page, stack);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const v of views) {
      await page.goto(stack.host.url.replace('#/', `#/${v.route}`));
      await expect(page.getByRole('heading', { level: 1, name: v.heading })).toBeVisible();
      if (v.name === 'home') await expect(page.getByTestId('stat-today')).toContainText('6');
      if (v.name === 'leads') {
        await expect(page.getByTestId('leads-count')).toHaveText('6 leads');
        await expect(page.getByRole('row', { name: /山田 花子/ })).toBeVisible();
        await expect(page.getByRole('row', { name: /محمد العلي/ })).toBeVisible();
      }
      await noSeriousViolations(page);
      await shot(page, `${v.name}-${scheme}`, { readme: scheme === 'light' && (v.name === 'home' || v.name === 'leads') ? v.name : undefined });
    }
  }
  // The lead detail, opened the way a notification click opens it.
  await page.goto(stack.host.url.replace('#/', '#/lead/9001'));
  const detail = page.getByTestId('lead-detail');
  await expect(detail.getByRole('heading', { name: 'Amelia Hart' })).toBeVisible();
  await expect(detail.getByText('Which treatment are you interested in?')).toBeVisible();
  await expect(detail.getByText('Invisalign aligners')).toBeVisible();
  await expect(detail.getByRole('link', { name: 'WhatsApp' })).toHaveAttribute('href', 'https://wa.me/14155550142');
  await noSeriousViolations(page);
  await shot(page, 'lead-detail');
});
