/**
 * Leads table columns chosen by the owner: hiding and showing a column changes the table at once,
 * and the choice is still there after the app restarts.
 */
import type { Page } from '@playwright/test';
import { expect, openApp, test } from './fixture';
import { sampleLeads, seedLeads } from './seed';

test.use({ stackOptions: { offline: true } });

async function headers(page: Page): Promise<string[]> {
  return page
    .getByRole('grid')
    .getByRole('columnheader')
    .allInnerTexts()
    .then((h) => h.map((x) => x.trim()).filter(Boolean));
}

async function pickColumn(page: Page, label: string, on: boolean): Promise<void> {
  const picker = page.locator('details.columns-picker');
  if (!(await picker.evaluate((d) => (d as HTMLDetailsElement).open)))
    await picker.getByText('Columns', { exact: true }).click();
  const box = picker
    .getByRole('group', { name: 'Columns to show' })
    .getByRole('checkbox', { name: label, exact: true });
  await (on ? box.check() : box.uncheck());
}

test('a hidden column disappears, a shown one appears, and the choice survives a restart', async ({
  page,
  stack,
}) => {
  seedLeads(stack.core.db, sampleLeads());
  await openApp(page, stack, 'leads');
  await expect(page.getByTestId('leads-count')).toHaveText('6 leads');
  await expect
    .poll(() => headers(page))
    .toEqual(['Name', 'Phone', 'Email', 'Status', 'Form', 'Created']);

  await pickColumn(page, 'Email', false);
  await pickColumn(page, 'City', true);
  await expect
    .poll(() => headers(page))
    .toEqual(['Name', 'Phone', 'Status', 'Form', 'City', 'Created']);
  const row = page.getByRole('row', { name: /Søren Kierkegård/ });
  await expect(row).toContainText('København');
  await expect(row).not.toContainText('soren@example.dk');

  await stack.restart();
  await openApp(page, stack, 'leads');
  await expect(page.getByTestId('leads-count')).toHaveText('6 leads');
  await expect
    .poll(() => headers(page))
    .toEqual(['Name', 'Phone', 'Status', 'Form', 'City', 'Created']);
  await expect(page.getByRole('row', { name: /Søren Kierkegård/ })).toContainText('København');
});
