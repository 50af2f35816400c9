import { chromium } from '@playwright/test';
import { chromiumPath } from '../../playwright.config';

export interface BrowserFigures {
  /** ms from navigation start to the first lead rows painted, one per run. */
  firstRows: number[];
  /** Frame intervals (ms) during a long programmatic scroll. */
  frameIntervals: number[];
}

/**
 * Opens the real renderer in Chromium against the host: time to first rows painted (a fresh page
 * each run), then one long scroll through the virtualised table, recording every frame interval.
 */
export async function measureBrowser(url: string, runs: number, scrollFrames: number): Promise<BrowserFigures> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const firstRows: number[] = [];
    let frameIntervals: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      // The frame after the rows are in the DOM is the one that shows them.
      await page.addInitScript(`new MutationObserver((_, observer) => {
        if (document.querySelector('[role=row][data-lead-id]')) {
          observer.disconnect();
          requestAnimationFrame(() => (window.__firstRows = performance.now()));
        }
      }).observe(document, { subtree: true, childList: true });`);
      await page.goto(url.replace('#/', '#/leads'));
      await page.waitForFunction(() => (window as unknown as { __firstRows?: number }).__firstRows !== undefined, null, { timeout: 30_000 });
      firstRows.push(await page.evaluate(() => (window as unknown as { __firstRows: number }).__firstRows));
      if (i === runs - 1) {
        // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
        frameIntervals = (await page.evaluate(`(async (frames) => {
          const grid = document.querySelector('[data-testid=leads-grid]');
          const out = [];
          await new Promise((done) => {
            let last = performance.now();
            let n = 0;
            function step(t) {
              out.push(t - last);
              last = t;
              grid.scrollTop += 1600; // ~50 rows per frame: a fast flick, sustained
              if (++n < frames) requestAnimationFrame(step);
              else done();
            }
            requestAnimationFrame(step);
          });
          return out.slice(1);
        })(${scrollFrames})`)) as number[];
      }
      await context.close();
    }
    return { firstRows, frameIntervals };
  } finally {
    await browser.close();
  }
}
