import AxeBuilder from '@axe-core/playwright';
import { expect, openApp, shot, test } from './fixture';
import { sampleLeads, seedLeads } from './seed';

// Conversions + speed-to-lead UI (issue 10) on seeded leads; the Meta side is covered in test/conversions.
test.use({ stackOptions: { offline: true } });

async function noSeriousViolations(page: import('@playwright/test').Page, include: string) {
  const results = await new AxeBuilder({ page }).include(include).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test('the owner connects a dataset, moves a lead, and sees it queued for Meta in the lead log', async ({ page, stack }) => {
  seedLeads(stack.core.db, sampleLeads());
  await openApp(page, stack, 'settings');
  const section = page.getByRole('group', { name: 'Tell Meta which leads became customers' });
  const dataset = section.getByLabel('Dataset (pixel) id');

  // Bad input: a clear error, nothing saved.
  await dataset.fill('my pixel');
  await page.getByRole('button', { name: 'Save' }).last().click();
  await expect(page.getByRole('status').filter({ hasText: /dataset id/i })).toBeVisible();
  expect(stack.core.db.prepare("SELECT count(*) FROM kv WHERE key = 'conversions.settings'").pluck().get()).toBe(0);

  await dataset.fill('123456789012345');
  await section.getByLabel('Event name for stage won').fill('Sale');
  await page.getByRole('button', { name: 'Save' }).last().click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await noSeriousViolations(page, 'form.settings-section');
  await shot(page, 'conversions-settings');

  // Survives a reload: it is stored, not just in the form.
  await page.reload();
  await expect(page.getByLabel('Dataset (pixel) id')).toHaveValue('123456789012345');
  await expect(page.getByLabel('Event name for stage won')).toHaveValue('Sale');

  // A system-user token goes to the keychain; the page only learns that one is stored.
  const secret = 'TEST-ONLY-fake-system-user-token-0123456789abcdef'; // not a Meta token
  await page.getByLabel('System-user access token').fill(secret);
  await page.getByRole('button', { name: 'Store token' }).click();
  await expect(page.getByText('Token stored in the system keychain.')).toBeVisible();
  await expect(page.getByLabel('System-user access token')).toHaveValue('');
  const status = await stack.core.dispatch('conversions.systemToken', {});
  expect(status).toEqual({ ok: true, value: { present: true } });
  expect(await page.content()).not.toContain(secret);
  await page.getByRole('button', { name: 'Remove token' }).click();
  await expect(page.getByText('Token removed; page tokens are used.')).toBeVisible();

  await page.goto(stack.host.url.replace('#/', '#/lead/9001'));
  const detail = page.getByTestId('lead-detail');
  await detail.getByRole('button', { name: /won/ }).click();
  const log = detail.getByTestId('conversion-log');
  await expect(log.getByText('Sale')).toBeVisible();
  // Offline: no page token and no Meta, so it waits (with the reason shown) instead of vanishing.
  await expect(log.getByText(/Waiting to send/)).toBeVisible();
  await noSeriousViolations(page, '[data-testid="conversion-log"]');
  await shot(page, 'conversion-log');
});

test('a quick action counts as first contact and Home shows speed to lead per week and form', async ({ page, stack }) => {
  const now = Date.now();
  seedLeads(stack.core.db, [
    ...sampleLeads().slice(0, 4),
    { id: '9101', name: 'Quick Responder', formId: '202', createdTime: now - 3 * 3600_000, firstContactAt: now - 3 * 3600_000 + 4 * 60_000 },
  ]);
  await openApp(page, stack, 'lead/9001');
  const detail = page.getByTestId('lead-detail');
  await expect(detail.getByTestId('speed-to-lead-badge')).toHaveText('Not contacted yet');
  // mailto: would open the mail app; the click handler is what matters here.
  await page.route('mailto:*', (r) => r.abort());
  await detail.getByRole('link', { name: 'Email' }).evaluate((a: HTMLAnchorElement) => {
    a.addEventListener('click', (e) => e.preventDefault());
    a.click();
  });
  await expect(detail.getByTestId('speed-to-lead-badge')).toContainText('First contact after');
  expect(stack.core.db.prepare("SELECT via FROM first_contact WHERE lead_id = '9001'").pluck().get()).toBe('email');

  await page.goto(stack.host.url.replace('#/', '#/'));
  const panel = page.getByTestId('speed-to-lead-panel');
  await expect(panel.getByRole('img', { name: /Median time to first contact per week/ })).toBeVisible();
  await expect(panel.getByRole('row', { name: /Whitening offer/ })).toContainText('4');
  await noSeriousViolations(page, '[data-testid="speed-to-lead-panel"]');
  await shot(page, 'speed-to-lead');
});
