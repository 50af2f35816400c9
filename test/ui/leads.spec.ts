import { readFileSync } from 'node:fs';
import { expect, openApp, shot, test } from './fixture';
import { numberedLeads, sampleLeads, seedLeads } from './seed';

test.use({ stackOptions: { offline: true } });

/** RFC 4180 parser, small and strict enough to prove the export is well-formed. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quote');
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

test.beforeEach(async ({ stack }) => {
  seedLeads(stack.core.db, sampleLeads());
});

test('search finds a lead by a phone fragment and by a custom answer', async ({ page, stack }) => {
  await openApp(page, stack, 'leads');
  const search = page.getByRole('searchbox', { name: 'Search leads' });
  await search.fill('550142');
  await expect(page.getByTestId('leads-count')).toHaveText('1 lead');
  await expect(page.getByRole('row', { name: /Amelia Hart/ })).toBeVisible();
  await search.fill('marathon');
  await expect(page.getByTestId('leads-count')).toHaveText('1 lead');
  await expect(page.getByRole('row', { name: /محمد العلي/ })).toBeVisible();
  await search.fill('no such person anywhere');
  await expect(page.getByTestId('leads-empty')).toHaveText('No leads match these filters.');
});

test('filters combine', async ({ page, stack }) => {
  await openApp(page, stack, 'leads');
  await page.getByRole('combobox', { name: 'Platform' }).selectOption('instagram');
  await expect(page.getByTestId('leads-count')).toHaveText('2 leads');
  await page.getByRole('combobox', { name: 'Tag' }).selectOption('vip');
  await expect(page.getByTestId('leads-count')).toHaveText('2 leads');
  await page.getByRole('combobox', { name: 'Page' }).selectOption({ label: 'Harbour Fitness' });
  await expect(page.getByTestId('leads-count')).toHaveText('1 lead');
  await expect(page.getByRole('row', { name: /محمد العلي/ })).toBeVisible();
  await page.getByRole('combobox', { name: 'Platform' }).selectOption('facebook');
  await expect(page.getByTestId('leads-empty')).toBeVisible();
  await shot(page, 'leads-filtered-empty');
});

test('a status change persists across a restart of the app', async ({ page, stack }) => {
  await openApp(page, stack, 'lead/9006');
  const detail = page.getByTestId('lead-detail');
  await detail.getByRole('button', { name: 'won' }).click();
  await expect(detail.getByTestId('lead-status')).toHaveText('Status: won');
  await expect(detail.getByText('Stage: new → won')).toBeVisible();
  await stack.restart();
  await openApp(page, stack, 'lead/9006');
  await expect(page.getByTestId('lead-detail').getByTestId('lead-status')).toHaveText(
    'Status: won',
  );
  await expect(page.getByRole('row', { name: /Lucas Ferreira/ })).toContainText('won');
});

test('export of the current view produces a valid CSV the owner can download', async ({
  page,
  stack,
}) => {
  await openApp(page, stack, 'leads');
  await page.getByRole('combobox', { name: 'Page' }).selectOption({ label: 'Sunrise Dental' });
  await expect(page.getByTestId('leads-count')).toHaveText('4 leads');
  await page.getByRole('button', { name: 'Export view as CSV' }).click();
  const status = page.getByTestId('export-status').first();
  await expect(status).toContainText('Exported 4 leads');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    status.getByRole('link').click(),
  ]);
  const text = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
  const rows = parseCsv(text);
  expect(rows[0]).toEqual([
    'id',
    'created_time',
    'page',
    'form',
    'platform',
    'name',
    'email',
    'phone',
    'company',
    'city',
    'status',
    'tags',
    'first_contact_at',
    'follow_up_at',
    'notes',
    'answers',
  ]);
  expect(rows).toHaveLength(5);
  expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
  expect(
    rows
      .map((r) => r[5])
      .slice(1)
      .sort(),
  ).toEqual(['Amelia Hart', 'Lucas Ferreira', 'Søren Kierkegård', '山田 花子']);
  expect(rows.find((r) => r[0] === '9001')?.[7]).toBe('+1 (415) 555-0142');
});

test('keyboard-only triage of three leads', async ({ page, stack }) => {
  await openApp(page, stack, 'leads');
  await expect(page.getByTestId('leads-count')).toHaveText('6 leads');
  const row = (name: RegExp) => page.getByRole('row', { name });
  // Lead 1: straight to stage 2 (contacted).
  await page.keyboard.press('2');
  await expect(row(/Amelia Hart/)).toContainText('contacted');
  // Lead 2: next, then qualified.
  await page.keyboard.press('j');
  await page.keyboard.press('3');
  await expect(row(/Søren Kierkegård/)).toContainText('qualified');
  // Lead 4: skip one, open it, mark it won, close it.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(
    page.getByTestId('lead-detail').getByRole('heading', { name: 'محمد العلي' }),
  ).toBeVisible();
  await page.keyboard.press('4');
  await expect(page.getByTestId('lead-detail').getByTestId('lead-status')).toHaveText(
    'Status: won',
  );
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('lead-detail')).toHaveCount(0);
  // '/' jumps to search; '?' lists the shortcuts.
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search leads' })).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText(
    'Move the lead',
  );
  await shot(page, 'help-overlay');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const statuses = stack.core.db
    .prepare("SELECT id, status FROM leads WHERE id IN ('9001','9002','9004') ORDER BY id")
    .all();
  expect(statuses).toEqual([
    { id: '9001', status: 'contacted' },
    { id: '9002', status: 'qualified' },
    { id: '9004', status: 'won' },
  ]);
});

test('multi-select: bulk stage and tag, then a saved view brings the filter back', async ({
  page,
  stack,
}) => {
  await openApp(page, stack, 'leads');
  await expect(page.getByTestId('leads-count')).toHaveText('6 leads');
  // Select the first two with the keyboard, move both to "lost" with one key.
  await page.keyboard.press('x');
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  const bulk = page.getByRole('region', { name: 'Selected leads' });
  await expect(bulk).toContainText('2 selected');
  await page.keyboard.press('5');
  await expect(page.getByRole('row', { name: /Amelia Hart/ })).toContainText('lost');
  await expect(page.getByRole('row', { name: /Søren Kierkegård/ })).toContainText('lost');
  await bulk.getByRole('textbox', { name: 'Tag' }).fill('spring-promo');
  await bulk.getByRole('button', { name: 'Add tag' }).click();
  await expect(bulk).toContainText('Tagged spring-promo: 2 changed.');
  await bulk.getByRole('button', { name: 'Clear selection' }).click();

  await page.getByRole('combobox', { name: 'Tag' }).selectOption('spring-promo');
  await expect(page.getByTestId('leads-count')).toHaveText('2 leads');
  await page.getByRole('textbox', { name: 'Name for this view' }).fill('Spring promo');
  await page.getByRole('button', { name: 'Save view' }).click();
  await page.reload();
  await expect(page.getByTestId('leads-count')).toHaveText('6 leads');
  await page.getByRole('combobox', { name: 'Saved view' }).selectOption({ label: 'Spring promo' });
  await expect(page.getByTestId('leads-count')).toHaveText('2 leads');
  await expect(page.getByRole('combobox', { name: 'Tag' })).toHaveValue('spring-promo');
});

test('a long list scrolled far and back shows the right lead on every row', async ({
  page,
  stack,
}) => {
  const now = Date.now();
  // Older than the six sample leads, so list position = 6 + i (newest first).
  seedLeads(stack.core.db, numberedLeads('Scroll', 5_000, 50_000, now), now);
  await openApp(page, stack, 'leads');
  await expect(page.getByTestId('leads-count')).toHaveText(/5,006 leads/);
  const grid = page.getByTestId('leads-grid');
  const rowAt = (position: number) => grid.locator(`[role=row][aria-rowindex="${position + 2}"]`);
  // A fast jump deep into the list, a few wheel-sized steps, on into the next block (read after the
  // loaded one by cursor), then back to the top: every row the owner sees holds the lead of its own
  // position (rows are recycled while scrolling).
  for (const top of [3_000 * 32, 3_000 * 32 + 96, 3_000 * 32 + 192, 3_090 * 32, 0]) {
    await grid.evaluate((el, y) => (el.scrollTop = y), top);
    const first = Math.floor(top / 32);
    for (const position of [first + 1, first + 5, first + 10]) {
      const expected =
        position < 6
          ? sampleLeads()[position]!.name!
          : `Scroll ${String(position - 6).padStart(4, '0')}`;
      await expect(rowAt(position)).toContainText(expected);
    }
    await expect(grid.locator('[role=row][aria-busy=true]')).toHaveCount(0);
  }
});

test('a broad search shows "1,000+" and scrolls on through every match to the exact count', async ({
  page,
  stack,
}) => {
  const now = Date.now();
  seedLeads(stack.core.db, numberedLeads('Broad', 1_250, 60_000, now), now);
  await openApp(page, stack, 'leads');
  await page.getByRole('searchbox', { name: 'Search leads' }).fill('Broad');
  const count = page.getByTestId('leads-count');
  await expect(count).toHaveText('1,000+ leads');
  const grid = page.getByTestId('leads-grid');
  // Scroll to the bottom until the end of the matches is reached: the table grows block by block.
  await expect(async () => {
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(count).toHaveText('1,250 leads', { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(grid.locator('[role=row][aria-rowindex="1251"]')).toContainText('Broad 1249');
  await expect(grid.locator('[role=row][aria-rowindex="1252"]')).toHaveCount(0);
});
