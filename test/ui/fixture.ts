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
import { ensureRendererBuilt } from '../../main/tools/rendererBuild';
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
    const w = window as unknown as {
      __notifications: { title: string; body?: string; tag?: string }[];
      __notificationObjects: Notification[];
    };
    w.__notifications = [];
    w.__notificationObjects = [];
    const Real = window.Notification;
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        // Recorded before the real constructor runs: what counts is that the app asked.
        w.__notifications.push({ title, body: options?.body, tag: options?.tag });
        super(title, options);
        w.__notificationObjects.push(this);
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

/** Clicks the newest shown notification whose title matches, as the owner would. */
export async function clickNotification(page: Page, title: RegExp): Promise<void> {
  const clicked = await page.evaluate((source) => {
    const re = new RegExp(source);
    const all = (window as unknown as { __notificationObjects: Notification[] }).__notificationObjects;
    const n = [...all].reverse().find((x) => re.test(x.title));
    n?.onclick?.(new Event('click'));
    return n !== undefined;
  }, title.source);
  if (!clicked) throw new Error(`no notification titled ${title}`);
}

/**
 * Saves a screenshot as a test artefact; with UPDATE_README_SCREENSHOTS=1, `readme` also copies it
 * to docs/screenshots/<readme>.png (so an ordinary test run leaves the checkout clean).
 */
export async function shot(page: Page, name: string, opts: { readme?: string } = {}): Promise<void> {
  mkdirSync('test-results/screenshots', { recursive: true });
  const file = `test-results/screenshots/${name}.png`;
  await page.screenshot({ path: file, fullPage: false });
  if (opts.readme && process.env.UPDATE_README_SCREENSHOTS === '1') {
    mkdirSync('docs/screenshots', { recursive: true });
    copyFileSync(file, `docs/screenshots/${opts.readme}.png`);
  }
}
