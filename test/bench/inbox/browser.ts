import { chromium } from '@playwright/test';
import { chromiumPath } from '../../playwright.config';
import { scrollPhases, type ScrollRun } from './scrollScript';

export interface BrowserFigures {
  /** ms from navigation start to the first lead rows painted, one per run. */
  firstRows: number[];
  /** Frame intervals (ms) during a long programmatic scroll (a fast flick, 50 rows a frame). */
  frameIntervals: number[];
  /** Both scroll phases (flick, wheel) with main-thread time per frame and long frames. */
  scroll: ScrollRun;
}

/**
 * Opens the real renderer in Chromium against the host: time to first rows painted (a fresh page
 * each run), then a long fast scroll and a wheel-speed scroll through the virtualised table.
 */
export async function measureBrowser(url: string, runs: number, scrollFrames: number): Promise<BrowserFigures> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const firstRows: number[] = [];
    let frameIntervals: number[] = [];
    let scroll: ScrollRun = {};
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
        scroll = await scrollPhases(page, scrollFrames);
        frameIntervals = scroll.flick!.intervals;
      }
      await context.close();
    }
    return { firstRows, frameIntervals, scroll };
  } finally {
    await browser.close();
  }
}
