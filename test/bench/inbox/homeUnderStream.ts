/**
 * Live leads while Home is open on a big store, A/B of renderer builds in one run:
 * `bash .ci/with-keyring.sh npx tsx test/bench/inbox/homeUnderStream.ts <store.sqlite> <build dir>...`
 * (e.g. .bench-data/inbox-1000000-v5.sqlite /tmp/base/dist/renderer dist/renderer). Each build twice,
 * interleaved: the full stack in this process on a copy of the store, Home open in Chromium, 60 leads
 * at 10/s; prints webhook → lead fetched in the core and → its event in the page, p50/p99 ms. Home's
 * refreshes (home.stats, speedToLead.stats) run on main's one thread, so they delay every lead.
 * A tool for tuning, not a figure.
 */
import { chromium } from '@playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../../ui/stack';
import { latencyOf } from '../baselines';
import { pageFrames, tapPageSocket } from '../e2eLegs';
const [store, ...dirs] = process.argv.slice(2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
for (const staticDir of [...dirs, ...dirs]) {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'home-')), 'desktop');
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(store!, join(dataDir, 'lead-inbox.sqlite'));
  const stack = await startStack({ dataDir, staticDir });
  const sim = stack.sim!;
  const p = sim.control.createPage({ name: 'Bench Roofing', subscribed: false });
  const form = sim.control.createForm({ pageId: p.id, name: 'Free quote' });
  await stack.connect();
  const fetched = new Map<string, number>();
  stack.core.events.on('lead.updated', ({ lead }) => lead.name && !fetched.has(lead.id) && fetched.set(lead.id, Date.now()));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await tapPageSocket(tab, '(p) => (p && p.lead && p.lead.name ? p.lead.id : undefined)');
  await tab.goto(stack.host.url);
  await tab.getByTestId('speed-to-lead-panel').waitFor({ timeout: 60_000 });
  await sleep(3000);
  const sent = new Map<string, number>();
  const begin = performance.now();
  for (let i = 0; i < 60; i++) {
    const wait = begin + i * 100 - performance.now();
    if (wait > 0) await sleep(wait);
    const t = Date.now();
    sent.set(sim.control.createLead({ formId: form.id, fieldData: [{ name: 'full_name', values: [`Bench Lead ${i}`] }] }).id, t);
  }
  await sleep(5000);
  const frames = (await pageFrames(tab))['lead.updated'] ?? {};
  const core = latencyOf([...sent].map(([id, t]) => (fetched.get(id) ?? NaN) - t).filter(Number.isFinite));
  const page = latencyOf([...sent].map(([id, t]) => (frames[id] ?? NaN) - t).filter(Number.isFinite));
  console.log(`${staticDir}: Home open, 1M leads, 10 leads/s: webhook → Graph fetched in core p50 ${core.p50} p99 ${core.p99} (${core.samples}); → event in page p50 ${page.p50} p99 ${page.p99} (${page.samples})`);
  await browser.close();
  await stack.close();
}
process.exit(0);
