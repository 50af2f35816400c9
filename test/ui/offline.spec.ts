import { expect, openApp, shot, test } from './fixture';
import { sampleLeads, seedLeads } from './seed';

test('the relay going away shows the offline banner while synced leads stay usable', async ({ page, stack }) => {
  const sim = stack.sim!;
  const fbPage = sim.control.createPage({ name: 'Bakery Berlin', subscribed: false });
  const form = sim.control.createForm({ pageId: fbPage.id, name: 'Cake orders' });
  await stack.connect();
  sim.control.createLead({
    formId: form.id,
    fieldData: [
      { name: 'full_name', values: ['Jana Müller'] },
      { name: 'phone_number', values: ['030 1234567'] },
    ],
  });
  await openApp(page, stack, 'leads');
  await expect(page.getByRole('row', { name: /Jana Müller/ })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);

  await stack.relay!.close();
  await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 15_000 });
  // Everything already synced still works: search and open the lead.
  await page.getByRole('searchbox', { name: 'Search leads' }).fill('1234567');
  await expect(page.getByTestId('leads-count')).toHaveText('1 lead');
  await page.getByRole('row', { name: /Jana Müller/ }).click();
  await expect(page.getByTestId('lead-detail').getByRole('heading', { name: 'Jana Müller' })).toBeVisible();
  await shot(page, 'offline-banner');
});

test('the app itself being unreachable shows the banner instead of failing silently', async ({ page, stack }) => {
  seedLeads(stack.core.db, sampleLeads());
  await openApp(page, stack, 'leads');
  await expect(page.getByTestId('leads-count')).toHaveText('6 leads');
  await stack.host.close();
  await expect(page.getByTestId('offline-banner')).toContainText('not running or not reachable');
  await expect(page.getByRole('row', { name: /Amelia Hart/ })).toBeVisible();
});
