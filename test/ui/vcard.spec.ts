/**
 * vCard export from the Leads view: the owner downloads a file their phone or address book can
 * import, with each lead's name, phone and email (vCard 3.0, RFC 2426).
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, openApp, test } from './fixture';
import { sampleLeads, seedLeads } from './seed';

test.use({ stackOptions: { offline: true } });

interface Card {
  props: { name: string; params: string[]; value: string }[];
  get(name: string): string | undefined;
}

/** A strict reader: CRLF lines, unfolded, every card BEGIN…END with VERSION 3.0, every line NAME[;params]:value. */
function parseVcards(text: string): Card[] {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // no bare CR or LF
  const lines = text
    .slice(0, -2)
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n');
  const cards: Card[] = [];
  let current: Card['props'] | null = null;
  for (const line of lines) {
    const m = /^([A-Za-z-]+)((?:;[^:;]+)*):(.*)$/.exec(line);
    if (!m) throw new Error(`not a vCard content line: ${JSON.stringify(line)}`);
    const [, name, params, value] = m;
    const prop = {
      name: name!.toUpperCase(),
      params: params!.split(';').filter(Boolean),
      value: value!,
    };
    if (prop.name === 'BEGIN') {
      expect(current).toBeNull();
      expect(prop.value).toBe('VCARD');
      current = [];
    } else if (prop.name === 'END') {
      expect(prop.value).toBe('VCARD');
      const props = current!;
      expect(props[0]).toMatchObject({ name: 'VERSION', value: '3.0' });
      expect(props.some((p) => p.name === 'FN') && props.some((p) => p.name === 'N')).toBe(true);
      cards.push({ props, get: (n) => props.find((p) => p.name === n)?.value });
      current = null;
    } else {
      current!.push(prop);
    }
  }
  expect(current).toBeNull();
  return cards;
}

/** RFC 2426 text unescaping (\\n, \\, \\; \\\\). */
const unescape = (v: string) =>
  v.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

async function exportVcard(page: Page): Promise<{ file: string; text: string }> {
  await page.getByRole('button', { name: 'Export view as vCard' }).click();
  const status = page.getByTestId('export-status').first();
  await expect(status).toContainText(/Exported \d+ leads/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    status.getByRole('link').click(),
  ]);
  return {
    file: download.suggestedFilename(),
    text: readFileSync((await download.path())!, 'utf8'),
  };
}

test('vCard export of the current view has each lead with name, phone and email', async ({
  page,
  stack,
}) => {
  seedLeads(stack.core.db, [
    ...sampleLeads(),
    {
      id: '9007',
      name: "Seán O'Brien; Jr.",
      email: 'sean@example.ie',
      phone: '+353 87 123 4567',
      company: 'Brien, Sons & Co',
    },
  ]);
  await openApp(page, stack, 'leads');
  await page.getByRole('searchbox', { name: 'Search leads' }).fill('Amelia');
  await expect(page.getByTestId('leads-count')).toHaveText('1 lead');

  const one = await exportVcard(page);
  expect(one.file).toMatch(/\.vcf$/);
  const [amelia, ...rest] = parseVcards(one.text);
  expect(rest).toEqual([]);
  expect(amelia!.get('FN')).toBe('Amelia Hart');
  expect(amelia!.get('N')).toBe('Hart;Amelia;;;');
  expect(amelia!.get('TEL')).toBe('+1 (415) 555-0142');
  expect(amelia!.get('EMAIL')).toBe('amelia.hart@example.com');

  // The whole view: seven cards, names in every script intact, separators in values escaped.
  await page.getByRole('searchbox', { name: 'Search leads' }).fill('');
  await expect(page.getByTestId('leads-count')).toHaveText('7 leads');
  const all = parseVcards((await exportVcard(page)).text);
  expect(all.map((c) => unescape(c.get('FN')!)).sort()).toEqual(
    [
      'Amelia Hart',
      'Lucas Ferreira',
      'Priya Raman',
      "Seán O'Brien; Jr.",
      'Søren Kierkegård',
      'محمد العلي',
      '山田 花子',
    ].sort(),
  );
  const sean = all.find((c) => c.get('EMAIL') === 'sean@example.ie')!;
  expect(sean.get('FN')).toBe("Seán O'Brien\\; Jr.");
  expect(unescape(sean.get('ORG')!)).toBe('Brien, Sons & Co');
  expect(all.find((c) => c.get('FN') === 'محمد العلي')!.get('TEL')).toBe('+971 50 123 4567');
});
