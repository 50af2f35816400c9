import type { Page } from '@playwright/test';
import { percentile } from '../types';

/** One scroll phase as measured in the page. */
export interface PhaseSample {
  /** ms between consecutive animation frames while scrolling. */
  intervals: number[];
  /** Chromium long-animation-frame entries (> 50 ms) during the phase: script and render parts. */
  longFrames: { duration: number; script: number; layout: number }[];
  /** Rows still drawn as placeholders 600 ms after the scroll stopped. */
  blankAtEnd: number;
  /** Renderer main-thread time per frame (ms, Chromium's Performance metrics): all tasks, JS, style, layout. */
  cpu?: { task: number; script: number; style: number; layout: number };
}

export type ScrollRun = Record<string, PhaseSample>;

/**
 * Two scrolls through the virtualised Leads table, each frame driven by requestAnimationFrame:
 * a fast flick sustained (1,600 px = 50 rows a frame) and a wheel-speed scroll (96 px = 3 rows a
 * frame, rows must fill in while it lasts). A string, not a function: tsx's name-keeping helpers
 * do not exist inside the page.
 */
export async function scrollPhases(page: Page, frames = 240): Promise<ScrollRun> {
  const out: ScrollRun = {};
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => {
    const { metrics: m } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const get = (n: string) => (m.find((x) => x.name === n)?.value ?? 0) * 1000;
    return { task: get('TaskDuration'), script: get('ScriptDuration'), style: get('RecalcStyleDuration'), layout: get('LayoutDuration') };
  };
  for (const [phase, step] of [['flick', 1600], ['wheel', 96]] as const) {
    const before = await metrics();
    out[phase] = (await page.evaluate(`(async ({ frames, step }) => {
      const grid = document.querySelector('[data-testid=leads-grid]');
      const longFrames = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const script = (e.scripts || []).reduce((n, s) => n + s.duration, 0);
          const layout = e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0;
          longFrames.push({ duration: e.duration, script, layout });
        }
      });
      try { observer.observe({ type: 'long-animation-frame', buffered: false }); } catch {}
      const intervals = [];
      await new Promise((done) => {
        let last = performance.now();
        let n = 0;
        function tick(t) {
          intervals.push(t - last);
          last = t;
          grid.scrollTop += step;
          if (++n < frames) requestAnimationFrame(tick);
          else done();
        }
        requestAnimationFrame(tick);
      });
      await new Promise((r) => setTimeout(r, 600));
      observer.disconnect();
      const box = grid.getBoundingClientRect();
      let blankAtEnd = 0;
      for (const row of grid.querySelectorAll('[role=row]')) {
        const r = row.getBoundingClientRect();
        if (r.bottom > box.top + 32 && r.top < box.bottom && row.querySelector('.placeholder')) blankAtEnd++;
      }
      return { intervals: intervals.slice(1), longFrames, blankAtEnd };
    })(${JSON.stringify({ frames, step })})`)) as PhaseSample;
    const after = await metrics();
    const n = out[phase].intervals.length + 1;
    out[phase].cpu = {
      task: (after.task - before.task) / n,
      script: (after.script - before.script) / n,
      style: (after.style - before.style) / n,
      layout: (after.layout - before.layout) / n,
    };
  }
  await cdp.detach();
  return out;
}

/** Dropped frames at 60 fps: each interval counts the frames it skipped. */
export function droppedPct(intervals: number[]): number {
  const budget = 1000 / 60;
  const dropped = intervals.reduce((n, d) => n + Math.max(0, Math.round(d / budget) - 1), 0);
  return (100 * dropped) / (intervals.length + dropped);
}

export function summarise(s: PhaseSample) {
  return {
    droppedPct: droppedPct(s.intervals),
    p95: percentile(s.intervals, 95),
    longFrames: s.longFrames.length,
    scriptMs: s.longFrames.reduce((n, f) => n + f.script, 0),
    layoutMs: s.longFrames.reduce((n, f) => n + f.layout, 0),
    blankAtEnd: s.blankAtEnd,
    cpu: s.cpu ?? { task: NaN, script: NaN, style: NaN, layout: NaN },
  };
}
