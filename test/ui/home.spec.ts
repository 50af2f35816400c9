/**
 * Home as the owner reads it: the leads-per-day chart's numbers (the table behind "Show the
 * numbers", which is what a screen reader gets) for 30 / 90 days by form or page, the speed-to-lead
 * figure, and the connection card of a connected app (relay state, since when, last event, backlog,
 * last sync per page).
 */
import type { Locator, Page } from '@playwright/test';
import { expect, openApp, test } from './fixture';
import { seedLeads, type SeedLead } from './seed';

const DAY = 86_400_000;
const MIN = 60_000;

/** The chart's data table as text: header cells and, per column, the sum of its numbers. */
async function chartNumbers(
  chart: Locator,
): Promise<{ columns: string[]; days: number; totals: Record<string, number> }> {
  const details = chart.locator('details');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
    await chart.getByText('Show the numbers').click();
  const table = chart.getByRole('table');
  await expect(table).toBeVisible();
  return table.evaluate((t) => {
    const columns = Array.from(t.querySelectorAll('thead th')).map((th) => th.textContent ?? '');
    const rows = Array.from(t.querySelectorAll('tbody tr'));
    const totals: Record<string, number> = {};
    columns.slice(1).forEach((c, i) => {
      totals[c] = rows.reduce(
        (s, r) => s + Number(r.children[i + 1]?.textContent?.replace(/\D/g, '') || 0),
        0,
      );
    });
    return { columns, days: rows.length, totals };
  });
}

function leadsChart(page: Page): Locator {
  return page.getByRole('figure', { name: /^Leads per day/ });
}

test.describe('offline, on seeded leads', () => {
  test.use({ stackOptions: { offline: true } });

  test('leads per day switches between 30 and 90 days and between forms and pages; speed to lead is the median', async ({
    page,
    stack,
  }) => {
    const now = Date.now();
    // Spread over time: three in the last 30 days, two more in the last 90, one older than both.
    const leads: SeedLead[] = [
      {
        id: '9101',
        name: 'Amelia Hart',
        formId: '201',
        createdTime: now - 5 * MIN,
        firstContactAt: now - 1 * MIN,
      },
      {
        id: '9102',
        name: 'Søren Kierkegård',
        formId: '202',
        createdTime: now - 2 * DAY,
        firstContactAt: now - 2 * DAY + 2 * 60 * MIN,
      },
      {
        id: '9103',
        name: '山田 花子',
        formId: '201',
        createdTime: now - 10 * DAY,
        firstContactAt: now - 10 * DAY + 10 * MIN,
      },
      { id: '9104', name: 'محمد العلي', formId: '203', createdTime: now - 45 * DAY },
      { id: '9105', name: 'प्रिया रमन', formId: '203', createdTime: now - 80 * DAY },
      { id: '9106', name: 'Lucas Ferreira', formId: '201', createdTime: now - 120 * DAY },
    ];
    seedLeads(stack.core.db, leads);
    await openApp(page, stack);
    const chart = leadsChart(page);

    await expect(chart).toContainText('3 leads in the last 30 days');
    let numbers = await chartNumbers(chart);
    expect(numbers.days).toBe(30);
    expect(numbers.columns).toEqual(['Day', 'Free consultation', 'Whitening offer']);
    expect(numbers.totals).toEqual({ 'Free consultation': 2, 'Whitening offer': 1 });

    const options = page.getByRole('group', { name: 'Chart options' });
    await options.getByRole('combobox', { name: 'Group by' }).selectOption({ label: 'Page' });
    await expect(chart.getByRole('columnheader', { name: 'Sunrise Dental' })).toBeVisible();
    numbers = await chartNumbers(chart);
    expect(numbers.columns).toEqual(['Day', 'Sunrise Dental']);
    expect(numbers.totals).toEqual({ 'Sunrise Dental': 3 });

    await options.getByRole('combobox', { name: 'Period' }).selectOption({ label: 'Last 90 days' });
    await expect(chart).toContainText('5 leads in the last 90 days');
    numbers = await chartNumbers(chart);
    expect(numbers.days).toBe(90);
    expect(numbers.totals).toEqual({ 'Sunrise Dental': 3, 'Harbour Fitness': 2 });

    await options.getByRole('combobox', { name: 'Group by' }).selectOption({ label: 'Form' });
    await expect(chart.getByRole('columnheader', { name: 'Trial week' })).toBeVisible();
    numbers = await chartNumbers(chart);
    expect(numbers.totals).toEqual({
      'Free consultation': 2,
      'Trial week': 2,
      'Whitening offer': 1,
    });

    // Speed to lead (now over 90 days): 4 min, 2 h and 10 min to first contact → the median is 10 min.
    await expect(page.getByTestId('speed-to-lead')).toHaveText('10 min');
    await expect(page.getByTestId('speed-to-lead').locator('..')).toContainText('(3 contacted)');
    await expect(page.getByTestId('speed-to-lead-panel-median')).toHaveText('10 min');
  });
});

test.describe('connected to Facebook through the relay', () => {
  test('the connection card shows the relay connection, the last event, the backlog and last sync per page', async ({
    page,
    stack,
  }) => {
    const fbPage = stack.sim!.control.createPage({ name: 'Bakery Berlin', subscribed: false });
    const form = stack.sim!.control.createForm({ pageId: fbPage.id, name: 'Cake orders' });
    await stack.connect();
    await openApp(page, stack);
    const card = page.getByRole('region', { name: 'Connection' });
    const fact = (label: string) =>
      card
        .locator('div', {
          has: page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }),
        })
        .getByRole('definition');

    await expect(card.getByTestId('connection-state')).toHaveText('Connected');
    // "Connected since" is a date and time, not a placeholder.
    await expect(fact('Connected since')).toHaveText(new RegExp(String(new Date().getFullYear())));
    await expect(fact('Waiting at the relay')).toHaveText('0');

    // A lead arrives through the relay: "Last event" becomes recent and the page's sync row is there.
    stack.sim!.control.createLead({
      formId: form.id,
      fieldData: [{ name: 'full_name', values: ['Jana Müller'] }],
    });
    await expect(page.getByTestId('stat-today')).toContainText('1', { timeout: 15_000 });
    await page.reload();
    await expect(fact('Last event')).toHaveText(/now|seconds? ago|minute ago/);
    const sync = card.getByRole('table', { name: 'Last sync per page' });
    const row = sync.getByRole('row', { name: /Bakery Berlin/ });
    await expect(row).toBeVisible();
    await expect(row.getByRole('cell').first()).toHaveText(/now|seconds? ago|minutes? ago/);
  });
});
