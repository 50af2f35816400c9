/**
 * Dates and numbers in the owner's locale, names in any script: a German owner (browser locale
 * de-DE, Berlin time) sees "1.240 leads", "05.03.2026, 15:07" and "10 Min.", and names written in
 * Arabic, Devanagari and Japanese come through as written.
 */
import { expect, openApp, shot, test } from './fixture';
import { seedLeads, type SeedLead } from './seed';

test.use({ stackOptions: { offline: true }, locale: 'de-DE', timezoneId: 'Europe/Berlin' });

const MIN = 60_000;
const names = { arabic: 'محمد العلي', hindi: 'प्रिया रमन', japanese: '山田 花子' };

function manyLeads(now: number): SeedLead[] {
  const leads: SeedLead[] = [
    {
      id: '9501',
      name: names.arabic,
      phone: '+971 50 123 4567',
      createdTime: now - 1 * MIN,
      firstContactAt: now,
    },
    {
      id: '9502',
      name: names.hindi,
      phone: '+91 98450 12345',
      createdTime: now - 12 * MIN,
      firstContactAt: now - 2 * MIN,
    },
    {
      id: '9503',
      name: names.japanese,
      phone: '+81 90-1234-5678',
      createdTime: now - 30 * MIN,
      firstContactAt: now,
    },
    { id: '9504', name: 'Jürgen Weiß', createdTime: Date.UTC(2026, 2, 5, 14, 7) },
  ];
  // Enough leads for a thousands separator, all within the last week.
  for (let i = 0; i < 1236; i++)
    leads.push({ id: String(100000 + i), name: `Kunde ${i}`, createdTime: now - (40 + i) * MIN });
  return leads;
}

test('a German owner sees German numbers and dates, and names in Arabic, Hindi and Japanese as written', async ({
  page,
  stack,
}) => {
  seedLeads(stack.core.db, manyLeads(Date.now()));

  await openApp(page, stack, 'leads');
  await expect(page.getByTestId('leads-count')).toHaveText('1.240 leads');
  for (const name of Object.values(names)) {
    const cell = page
      .getByRole('row', { name: new RegExp(name) })
      .getByRole('gridcell', { name, exact: true });
    await expect(cell).toBeVisible();
    expect((await cell.boundingBox())!.width).toBeGreaterThan(0);
  }
  // The Created column in German style: day.month.year, 24-hour time.
  await expect(page.getByRole('row', { name: new RegExp(names.arabic) })).toContainText(
    /\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/,
  );
  await shot(page, 'leads-de-DE');

  await page.goto(stack.host.url.replace('#/', '#/lead/9504'));
  const detail = page.getByTestId('lead-detail');
  await expect(detail.getByRole('heading', { name: 'Jürgen Weiß' })).toBeVisible();
  await expect(detail.getByText('05.03.2026, 15:07', { exact: false })).toBeVisible();

  await page.goto(stack.host.url.replace('#/', '#/lead/9501'));
  await expect(
    page.getByTestId('lead-detail').getByRole('heading', { name: names.arabic }),
  ).toBeVisible();

  await page.goto(stack.host.url.replace('#/', '#/'));
  await expect(page.getByRole('link', { name: /in the last 7 days/ })).toContainText('1.239');
  // Time to first contact: 1, 10 and 30 min → the median, with German unit names.
  await expect(page.getByTestId('speed-to-lead')).toHaveText('10 Min.');
  await page
    .getByRole('figure', { name: /^Leads per day/ })
    .getByText('Show the numbers')
    .click();
  const lastDay = page
    .getByRole('figure', { name: /^Leads per day/ })
    .getByRole('rowheader')
    .last();
  await expect(lastDay).toHaveText(/^\d{1,2}\. \p{L}+\.?$/u); // e.g. "24. Nov."

  await page.goto(stack.host.url.replace('#/', '#/settings'));
  await expect(page.getByTestId('data-info')).toHaveText(/· \d+(,\d)? (kB|MB) · 1\.240 leads$/);
});
