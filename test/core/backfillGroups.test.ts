/**
 * The backfill commits pages together while Meta answers fast (fewer, larger transactions cost
 * less per lead) and each page as it arrives while Meta is slow, so leads never sit in memory
 * waiting on the network. Simulator, real SQLite on disk.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectAndEnable, leadRows, startStack, waitFor, type Stack } from './harness';

describe('backfill commits', () => {
  let stack: Stack | null = null;
  afterEach(async () => {
    await stack?.close();
    stack = null;
  });

  /**
   * Leads stored after each commit of the backfill, as the Leads list would show them. Slow pages
   * take 150 ms against an 80 ms threshold; on the fast line no page can count as slow, so a busy
   * machine cannot change the outcome.
   */
  async function backfillSteps(opts: { slowPages: boolean }): Promise<number[]> {
    stack = await startStack({
      tuning: {
        pageSize: 25,
        backfillBatchLeads: 100,
        backfillSlowPageMs: opts.slowPages ? 80 : 60_000,
      },
    });
    const page = stack.sim.control.createPage({ name: 'Groups Co', subscribed: false });
    const form = stack.sim.control.createForm({ pageId: page.id });
    const nowS = Math.floor(stack.sim.control.nowMs() / 1000);
    stack.sim.control.createLeads(form.id, 150, { fromS: nowS - 30 * 86_400, toS: nowS - 60 });
    if (opts.slowPages)
      stack.sim.control.injectFault({
        match: { path: '*/leads' },
        error: { delayMs: 150 },
        count: 0,
      });
    const core = stack.desktop.core;
    const steps: number[] = [];
    let done = false;
    core.events.on('sync.progress', (p) => {
      if (p.phase === 'leads')
        steps.push(core.db.prepare('SELECT count(*) FROM leads').pluck().get() as number);
      if (p.phase === 'done' || p.phase === 'error') done = true;
    });
    await connectAndEnable(stack);
    await waitFor(() => done, 'the backfill');
    expect(leadRows(core)).toHaveLength(150);
    return steps;
  }

  it('groups pages into commits of up to backfillBatchLeads leads while Meta answers fast', async () => {
    // 6 pages of 25: 100 leads, then the last 50 when the pages run out.
    expect(await backfillSteps({ slowPages: false })).toEqual([100, 150]);
  });

  it('commits each page as it arrives while Meta is slow, so leads show up page by page', async () => {
    expect(await backfillSteps({ slowPages: true })).toEqual([25, 50, 75, 100, 125, 150]);
  });
});
