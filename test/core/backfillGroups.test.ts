/**
 * How a backfill pages and commits: pages held and committed together (fewer, larger
 * transactions cost less per lead) but never held past backfillHoldMs, so on a slow line leads show
 * up page by page; and a long range paged in time windows side by side, every lead stored once.
 * Simulator, real SQLite on disk.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { timeWindows } from '../../main/core/sync/backfillForm';
import type { CoreTuning } from '../../main/core/tuning';
import { connectAndEnable, leadRows, startStack, waitFor, type Stack } from './harness';

describe('backfill commits', () => {
  let stack: Stack | null = null;
  let formId = '';
  let onCreated: ((s: Stack) => void) | null = null;
  afterEach(async () => {
    await stack?.close();
    stack = null;
    onCreated = null;
  });

  /** Leads stored after each commit of a 150-lead backfill, as the Leads list would show them. */
  async function backfillSteps(
    tuning: Partial<CoreTuning>,
    pageDelayMs = 0,
    expectAll = true,
  ): Promise<number[]> {
    stack = await startStack({ tuning: { pageSize: 25, backfillBatchLeads: 100, ...tuning } });
    const page = stack.sim.control.createPage({ name: 'Groups Co', subscribed: false });
    const form = stack.sim.control.createForm({ pageId: page.id });
    formId = form.id;
    const nowS = Math.floor(stack.sim.control.nowMs() / 1000);
    stack.sim.control.createLeads(form.id, 150, {
      fromS: nowS - 30 * 86_400,
      toS: nowS - 60,
    });
    onCreated?.(stack);
    if (pageDelayMs)
      stack.sim.control.injectFault({
        match: { path: '*/leads' },
        error: { delayMs: pageDelayMs },
        count: 0,
      });
    const core = stack.desktop.core;
    const steps: number[] = [];
    const overclaimed: string[] = [];
    let done = false;
    // Leads reported written after each commit. The writer thread may already be committing the
    // next group, so the list can hold more than reported, never fewer.
    core.events.on('sync.progress', (p) => {
      if (p.phase === 'leads') {
        steps.push(p.leads);
        const stored = core.db.prepare('SELECT count(*) FROM leads').pluck().get() as number;
        if (stored < p.leads) overclaimed.push(`${p.leads} reported, ${stored} stored`);
      }
      if (p.phase === 'done' || p.phase === 'error') done = true;
    });
    await connectAndEnable(stack);
    await waitFor(() => done, 'the backfill');
    expect(overclaimed).toEqual([]);
    if (!expectAll) return steps;
    // Every lead Meta holds, once, complete.
    const simIds = [...stack.sim.context.state.leads.values()].map((l) => l.id).sort();
    const stored = leadRows(core);
    expect(stored.map((l) => l.id).sort()).toEqual(simIds);
    expect(simIds).toHaveLength(150);
    expect(stored.every((l) => l.state === 'complete')).toBe(true);
    return steps;
  }

  it('commits pages together, up to backfillBatchLeads leads at a time, while Meta answers fast', async () => {
    // One window, a hold no page outlasts: 100 leads (4 pages), then the last 50 when pages run out.
    expect(await backfillSteps({ backfillWindows: 1, backfillHoldMs: 60_000 })).toEqual([100, 150]);
  });

  it('writes each page within backfillHoldMs while Meta is slow, so leads show up page by page', async () => {
    // Pages 150 ms apart, held at most 30 ms.
    expect(await backfillSteps({ backfillWindows: 1, backfillHoldMs: 30 }, 150)).toEqual([
      25, 50, 75, 100, 125, 150,
    ]);
  });

  it('pages a 30-day first backfill in four time windows side by side and stores every lead once', async () => {
    // Each page takes 150 ms. Paged one after another, no two pages land within one 100 ms hold;
    // side by side, the windows' first pages land together and go into the first commit.
    const steps = await backfillSteps({ backfillWindows: 4, backfillHoldMs: 100 }, 150);
    expect(steps[0]).toBeGreaterThanOrEqual(50);
    expect(steps.at(-1)).toBe(150);
    // Four windows asked of Meta, each bounded by time_created, all but the newest from both sides.
    const windows = new Set(
      stack!.sim.control.calls({ path: `${formId}/leads` }).map((c) => String(c.query.filtering)),
    );
    expect(windows.size).toBe(4);
    expect([...windows].filter((f) => f.includes('LESS_THAN'))).toHaveLength(3);
  });

  it('keeps the leads that arrived before a window failed, and leaves the cursor for the next run', async () => {
    // Nothing is written before the end (no full group, no hold timer): the first of the four
    // windows' requests fails with an expired token, the others keep the page they got and stop.
    onCreated = (s) => {
      s.sim.control.injectFault({
        match: { path: `${formId}/leads` },
        error: { code: 190, error_subcode: 463 },
        count: 1,
      });
    };
    const steps = await backfillSteps(
      { backfillWindows: 4, backfillHoldMs: 60_000, backfillBatchLeads: 1_000 },
      0,
      false,
    );
    const stored = leadRows(stack!.desktop.core).length;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(150);
    expect(steps).toEqual([stored]);
    const page = (await stack!.desktop.call('pages.list')).pages[0]!;
    expect(page.status).toBe('needs_reconnect');
    const form = stack!.desktop.core.db
      .prepare('SELECT cursor_time FROM forms WHERE id = ?')
      .get(formId) as { cursor_time: number | null };
    expect(form.cursor_time).toBeNull();
  });
});

describe('quitting during a backfill', () => {
  let stack: Stack | null = null;
  afterEach(async () => {
    await stack?.close();
    stack = null;
  });

  it('keeps every lead it reported, and the next start finishes the rest, each lead once', async () => {
    // Pages of 100 leads 30 ms apart, one pager: the app quits with most of 2,000 leads to come.
    stack = await startStack({
      tuning: { pageSize: 100, backfillBatchLeads: 100, backfillWindows: 1 },
    });
    const page = stack.sim.control.createPage({ name: 'Quit Co', subscribed: false });
    const form = stack.sim.control.createForm({ pageId: page.id });
    const nowS = Math.floor(stack.sim.control.nowMs() / 1000);
    stack.sim.control.createLeads(form.id, 2_000, { fromS: nowS - 30 * 86_400, toS: nowS - 60 });
    stack.sim.control.injectFault({ match: { path: '*/leads' }, error: { delayMs: 30 }, count: 0 });
    let reported = 0;
    stack.desktop.core.events.on('sync.progress', (p) => {
      if (p.phase === 'leads') reported = p.leads;
    });
    await connectAndEnable(stack);
    await waitFor(() => reported >= 300, 'a few groups written');
    await stack.desktop.stop(); // the owner quits mid-backfill

    stack.sim.control.clearFaults();
    const desktop = await stack.restartDesktop();
    // What was reported written survived the quit; the form's cursor did not move, so the next
    // start reads the whole range again and every lead ends up stored once, complete.
    const kept = leadRows(desktop.core).length;
    expect(kept).toBeGreaterThanOrEqual(reported);
    expect(kept).toBeLessThan(2_000);
    await desktop.call('sync.now', {});
    await waitFor(
      () => leadRows(desktop.core).filter((l) => l.state === 'complete').length === 2_000,
      'every lead after the restart',
      20_000,
    );
    const simIds = [...stack.sim.context.state.leads.values()].map((l) => l.id).sort();
    expect(
      leadRows(desktop.core)
        .map((l) => l.id)
        .sort(),
    ).toEqual(simIds);
  });
});

describe('time windows of a backfill', () => {
  it('cover every whole second after `since` exactly once, the last one open-ended', () => {
    for (const [since, now, count] of [
      [1_000, 1_000 + 90 * 86_400, 4],
      [5, 5 + 86_401, 3],
      [0, 86_400, 4],
      [100, 200, 4],
    ] as const) {
      const windows = timeWindows(since, now, count);
      expect(windows.at(-1)![1]).toBeNull();
      // Sample seconds across the range, including every window edge and its neighbours.
      const edges = windows.flatMap(([a, b]) => [
        a,
        a + 1,
        a + 2,
        ...(b === null ? [] : [b - 1, b, b + 1]),
      ]);
      for (const t of [...edges, since + 1, now, now + 10]) {
        if (t <= since) continue;
        const holders = windows.filter(([a, b]) => t > a && (b === null || t < b));
        expect(holders, `second ${t}`).toHaveLength(1);
      }
    }
    expect(timeWindows(0, 86_400, 4)).toHaveLength(1); // a day or less: one window
    expect(timeWindows(0, 90 * 86_400, 4)).toHaveLength(4);
  });
});
