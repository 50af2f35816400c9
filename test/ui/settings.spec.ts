/**
 * Settings as the owner uses them: notifications (sound, previews, quiet hours) and the
 * reconciliation period are saved and survive a restart of the app; the data folder and its size
 * are shown; invalid input gets a clear error and changes nothing (neither what the app uses nor
 * the settings file).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, test, type Stack } from './fixture';
import { sampleLeads, seedLeads } from './seed';

test.use({ stackOptions: { offline: true } });

function form(page: Page) {
  return {
    sound: page.getByRole('checkbox', { name: 'Play a sound' }),
    previews: page.getByRole('checkbox', { name: 'Show names and message text' }),
    quiet: page.getByRole('checkbox', { name: 'Quiet hours' }),
    from: page.getByLabel('From', { exact: true }),
    to: page.getByLabel('To', { exact: true }),
    period: page.getByRole('spinbutton', { name: 'Check for missed leads every (minutes)' }),
    relay: page.getByRole('textbox', { name: 'Relay address' }),
    save: page.getByRole('button', { name: 'Save settings' }),
  };
}

function settingsFile(stack: Stack): unknown {
  return JSON.parse(readFileSync(join(stack.dataDir, 'settings.json'), 'utf8'));
}

test('notifications and the reconciliation period are saved and survive a restart', async ({
  page,
  stack,
}) => {
  await openApp(page, stack, 'settings');
  let f = form(page);
  // The defaults first, as a new owner sees them.
  await expect(f.sound).toBeChecked();
  await expect(f.previews).toBeChecked();
  await expect(f.quiet).not.toBeChecked();
  await expect(f.period).toHaveValue('15');

  await f.sound.uncheck();
  await f.previews.uncheck();
  await f.quiet.check();
  await f.from.fill('21:30');
  await f.to.fill('06:45');
  await f.period.fill('30');
  await f.save.click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  expect(stack.core.settings.get()).toMatchObject({
    notifications: {
      sound: false,
      previews: false,
      quietHours: { enabled: true, start: '21:30', end: '06:45' },
    },
    sync: { reconciliationMinutes: 30 },
  });

  await stack.restart();
  await openApp(page, stack, 'settings');
  f = form(page);
  await expect(f.sound).not.toBeChecked();
  await expect(f.previews).not.toBeChecked();
  await expect(f.quiet).toBeChecked();
  await expect(f.from).toHaveValue('21:30');
  await expect(f.to).toHaveValue('06:45');
  await expect(f.period).toHaveValue('30');
  await expect(page.getByRole('checkbox', { name: 'Show notifications' })).toBeChecked(); // untouched stays
});

test('the data folder, its size and the lead count are shown', async ({ page, stack }) => {
  seedLeads(stack.core.db, sampleLeads());
  await openApp(page, stack, 'settings');
  const info = page.getByTestId('data-info');
  await expect(info.locator('code')).toHaveText(stack.dataDir);
  // A SQLite file with six leads weighs some kilobytes; the size is a number with a unit, not bytes alone.
  await expect(info).toHaveText(/· \d+(\.\d)? (kB|MB) · 6 leads$/);
});

test('invalid input gets a clear error and changes nothing', async ({ page, stack }) => {
  await openApp(page, stack, 'settings');
  const f = form(page);
  const before = JSON.stringify(stack.core.settings.get());
  let file: unknown = null;
  try {
    file = settingsFile(stack);
  } catch {
    // No file yet: nothing was ever saved, and nothing may be written by a rejected save either.
  }

  // Out of range: the browser refuses to submit and says why, next to the field.
  await f.period.fill('0');
  await f.save.click();
  expect(await f.period.evaluate((el: HTMLInputElement) => el.validationMessage)).not.toBe('');
  await f.period.fill('1441');
  await f.save.click();
  expect(await f.period.evaluate((el: HTMLInputElement) => el.validationMessage)).not.toBe('');
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toHaveCount(0);
  await f.period.fill('15');

  // What the browser lets through, the app refuses with a message naming the field.
  await f.quiet.check();
  await f.from.fill('');
  await f.save.click();
  await expect(
    page.getByRole('status').filter({ hasText: /Invalid .*quietHours\.start: Use HH:MM/ }),
  ).toBeVisible();
  await f.from.fill('22:00');
  await f.relay.fill('ftp://relay.example.com');
  await f.save.click();
  await expect(page.getByRole('status').filter({ hasText: /Invalid .*relayUrl/ })).toBeVisible();

  expect(JSON.stringify(stack.core.settings.get())).toBe(before);
  let after: unknown = null;
  try {
    after = settingsFile(stack);
  } catch {
    after = null;
  }
  expect(after).toEqual(file);
  await stack.restart();
  await openApp(page, stack, 'settings');
  await expect(form(page).quiet).not.toBeChecked();
  await expect(form(page).relay).toHaveValue('');
});
