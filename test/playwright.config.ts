import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';

const root = resolve(import.meta.dirname, '..');

/**
 * Browser tests run in Debian's Chromium (never a downloaded browser) against the Node host.
 * The Electron spec runs where the Electron binary exists and says why when it is skipped.
 */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: ['ui/**/*.spec.ts', 'electron/**/*.spec.ts'],
  outputDir: resolve(root, 'test-results'),
  timeout: 60_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: resolve(root, 'test-results/playwright.json') }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      testMatch: 'ui/**/*.spec.ts',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    { name: 'electron', testMatch: 'electron/**/*.spec.ts' },
  ],
});
