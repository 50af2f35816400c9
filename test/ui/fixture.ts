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
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, type Stack, type StackOptions } from './stack';

export { expect };
export type { Stack };

/** Newest modification time under the renderer's sources (and the shared contract it bundles). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/renderer when it is missing or older than its sources: once per run, not per test. */
export function ensureRendererBuilt(): void {
  const index = 'dist/renderer/index.html';
  const sources = Math.max(newestSource('renderer'), newestSource('shared'), statSync('vite.config.ts').mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build of the renderer failed');
}

export const test = base.extend<{ stack: Stack; stackOptions: StackOptions }, { renderer: void }>({
  renderer: [
    // Playwright reads a fixture's dependencies from its destructuring pattern; this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
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

/** Saves a screenshot as a test artefact; `readme` also copies it to docs/screenshots/. */
export async function shot(page: Page, name: string, opts: { readme?: boolean } = {}): Promise<void> {
  mkdirSync('test-results/screenshots', { recursive: true });
  const file = `test-results/screenshots/${name}.png`;
  await page.screenshot({ path: file, fullPage: false });
  if (opts.readme) {
    mkdirSync('docs/screenshots', { recursive: true });
    copyFileSync(file, `docs/screenshots/${name}.png`);
  }
}
