/**
 * Playwright fixture for every browser test: `stack` is a fresh simulator + relay + core + host
 * (see stack.ts), `openApp(page)` opens the UI with notifications granted and recorded, and
 * `shot(page, name)` saves a screenshot under test-results/screenshots/.
 *
 *   import { test, expect, openApp } from './fixture';
 *   test.use({ stackOptions: { offline: true } });   // no simulator/relay needed
 *   test('…', async ({ page, stack }) => { await openApp(page, stack); … });
 */
import { test as base, expect, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { ensureRendererBuilt } from './build';
import { startStack, type Stack, type StackOptions } from './stack';

export { expect, ensureRendererBuilt };
export type { Stack };

export const test = base.extend<{ stack: Stack; stackOptions: StackOptions }, { renderer: void }>({
  renderer: [
    // Playwright reads a fixture's dependencies from its destructuring pattern; this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      // The core keeps tokens in the OS keychain (keytar → Secret Service over D-Bus); say how to
      // run with one instead of failing later with keytar's "Cannot autolaunch D-Bus".
      if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) {
        throw new Error('No D-Bus session for the keychain. Run: bash .ci/with-keyring.sh npx playwright test test/ui');
      }
      ensureRendererBuilt();
      await use();
    },
    { scope: 'worker', auto: true },
  ],
  stackOptions: [{}, { option: true }],
  stack: async ({ stackOptions }, use) => {
    const stack = await startStack(stackOptions);
    await use(stack);
    await stack.close();
  },
});

/**
 * Opens the app at the host's URL (with its token). Notifications are granted and every
 * `new Notification(…)` the page makes is recorded in window.__notifications.
 */
export async function openApp(page: Page, stack: Stack, route = ''): Promise<void> {
  await page.context().grantPermissions(['notifications'], { origin: stack.host.origin });
  await page.addInitScript(() => {
    const w = window as unknown as { __notifications: { title: string; body?: string; tag?: string }[] };
    w.__notifications = [];
    const Real = window.Notification;
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        // Recorded before the real constructor runs: what counts is that the app asked.
        w.__notifications.push({ title, body: options?.body, tag: options?.tag });
        super(title, options);
      }
    }
    Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
    window.Notification = Recording as typeof Notification;
  });
  await page.goto(stack.host.url.replace('#/', `#/${route}`));
}

export async function notificationsShown(page: Page): Promise<{ title: string; body?: string; tag?: string }[]> {
  return page.evaluate(() => (window as unknown as { __notifications: { title: string; body?: string; tag?: string }[] }).__notifications);
}

/** Saves a screenshot as a test artefact; `readme` also copies it to docs/screenshots/<readme>.png. */
export async function shot(page: Page, name: string, opts: { readme?: string } = {}): Promise<void> {
  mkdirSync('test-results/screenshots', { recursive: true });
  const file = `test-results/screenshots/${name}.png`;
  await page.screenshot({ path: file, fullPage: false });
  if (opts.readme) {
    mkdirSync('docs/screenshots', { recursive: true });
    copyFileSync(file, `docs/screenshots/${opts.readme}.png`);
  }
}
