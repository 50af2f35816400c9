/**
 * A/B of two renderer builds scrolling the Leads table over one store, in one run:
 * `npx tsx test/bench/inbox/scrollAB.ts <store.sqlite> <baseline renderer dir> [rounds]`.
 * One core, two hosts (baseline build, dist/renderer), rounds interleaved; each round opens a
 * fresh tab per build and runs the same scroll script (inbox/scrollScript.ts). Prints per build the
 * median dropped-frame share and frame interval p95, and where long frames went (script vs.
 * style/layout, from Chromium's long-animation-frame entries). A tool for tuning, not a figure.
 */
import { chromium } from '@playwright/test';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../../main/core/app';
import { configFromEnv } from '../../../main/core/config';
import { startHost } from '../../../main/host/server';
import { chromiumPath } from '../../playwright.config';
import { percentile } from '../types';
import { scrollPhases, summarise, type ScrollRun } from './scrollScript';

const [store, baselineDir, roundsArg] = process.argv.slice(2);
if (!store || !baselineDir) throw new Error('usage: scrollAB.ts <store.sqlite> <baseline renderer dir> [rounds]');
const rounds = Number(roundsArg ?? 3);
const dataDir = mkdtempSync(join(tmpdir(), 'scroll-ab-'));
copyFileSync(store, join(dataDir, 'lead-inbox.sqlite'));
const core = createCore({
  config: { ...configFromEnv({}, { dataDir }), relayUrl: null },
  tokens: { get: async () => null, set: async () => {}, delete: async () => false, list: async () => [] },
  notifier: { notify() {} },
  openExternal: async () => {},
  logger: { info() {}, warn() {}, error() {} },
});
await core.start();
const hosts = {
  A: await startHost({ core, staticDir: baselineDir }),
  B: await startHost({ core, staticDir: 'dist/renderer' }),
};
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
const results: Record<'A' | 'B', ScrollRun[]> = { A: [], B: [] };
try {
  for (let r = 0; r < rounds; r++) {
    for (const build of r % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      // SCROLL_CPU_SLOWDOWN=4: Chromium's CPU throttling, a slower machine (or a busy one) on demand.
      const slowdown = Number(process.env.SCROLL_CPU_SLOWDOWN ?? 1);
      if (slowdown > 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: slowdown });
      await page.goto(hosts[build].url.replace('#/', '#/leads'));
      await page.locator('[role=row][data-lead-id]').first().waitFor({ timeout: 30_000 });
      results[build].push(await scrollPhases(page));
      await context.close();
    }
  }
} finally {
  await browser.close();
  for (const h of Object.values(hosts)) await h.close();
  await core.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
for (const build of ['A', 'B'] as const) {
  const label = build === 'A' ? `A ${baselineDir}` : 'B dist/renderer';
  for (const phase of Object.keys(results[build][0]!)) {
    const s = results[build].map((run) => summarise(run[phase]!));
    const med = (f: (x: (typeof s)[number]) => number) => percentile(s.map(f), 50).toFixed(1);
    console.log(
      `${label} ${phase}: dropped ${med((x) => x.droppedPct)} %, frame p95 ${med((x) => x.p95)} ms, long frames ${med((x) => x.longFrames)}, script ${med((x) => x.scriptMs)} ms, style+layout ${med((x) => x.layoutMs)} ms, blank rows at end ${med((x) => x.blankAtEnd)}; main thread per frame: tasks ${med((x) => x.cpu.task)} ms (script ${med((x) => x.cpu.script)}, style ${med((x) => x.cpu.style)}, layout ${med((x) => x.cpu.layout)})`,
    );
  }
}
