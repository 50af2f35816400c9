import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Coalesce = (
  fn: () => void | Promise<unknown>,
  opts: { minGapMs: number; busyFactor?: number },
) => (() => void) & { cancel(): void };
// Imported by a computed path: renderer/ belongs to the web tsconfig, test/ to the node one, and a
// static import would pull a renderer file into the node project (tsc -b refuses that).
const rendererModule = '../../renderer/hooks/coalesce';
const { coalesce } = (await import(rendererModule)) as { coalesce: Coalesce };

/**
 * The live-refresh throttle of the Leads list and useCall (renderer/hooks/coalesce.ts), on a fake
 * clock: what it decides (run now, share a run, wait for the one in flight), not how fast it is.
 */
describe('coalesce', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the first call of a burst at once and keeps running during a steady stream', async () => {
    const fn = vi.fn();
    const schedule = coalesce(fn, { minGapMs: 100 });
    schedule();
    await vi.advanceTimersByTimeAsync(0);
    expect(fn).toHaveBeenCalledTimes(1);
    // 10 calls a second for 2 s never leave a quiet moment: a debounce would not run at all.
    for (let i = 0; i < 20; i++) {
      schedule();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(fn.mock.calls.length).toBeGreaterThanOrEqual(15);
    expect(fn.mock.calls.length).toBeLessThanOrEqual(22);
  });

  it('shares one run among the calls of a gap, and the last call always gets a run', async () => {
    const fn = vi.fn();
    const schedule = coalesce(fn, { minGapMs: 200 });
    schedule();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 5; i++) schedule();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('never starts a run while the previous one is still in flight', async () => {
    let finish: () => void = () => {};
    let running = 0;
    let overlapped = false;
    const fn = vi.fn(() => {
      running++;
      if (running > 1) overlapped = true;
      return new Promise<void>((resolve) => {
        finish = () => {
          running--;
          resolve();
        };
      });
    });
    const schedule = coalesce(fn, { minGapMs: 10 });
    schedule();
    await vi.advanceTimersByTimeAsync(0);
    schedule();
    schedule();
    await vi.advanceTimersByTimeAsync(500);
    expect(fn).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(50);
    expect(fn).toHaveBeenCalledTimes(2);
    finish();
    expect(overlapped).toBe(false);
  });

  it('spaces runs out by busyFactor times the last run when runs are slow', async () => {
    const fn = vi.fn(() => new Promise<void>((resolve) => setTimeout(resolve, 300)));
    const schedule = coalesce(fn, { minGapMs: 50, busyFactor: 4 });
    schedule();
    await vi.advanceTimersByTimeAsync(300);
    schedule();
    // 4 × 300 ms after the first run ended: not yet at 1,100 ms, started by 1,250 ms.
    await vi.advanceTimersByTimeAsync(1100);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(150);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('keeps running after a failed run', async () => {
    const fn = vi.fn(() => Promise.reject(new Error('offline')));
    const schedule = coalesce(fn, { minGapMs: 10 });
    schedule();
    await vi.advanceTimersByTimeAsync(0);
    schedule();
    await vi.advanceTimersByTimeAsync(100);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('runs nothing after cancel', async () => {
    const fn = vi.fn();
    const schedule = coalesce(fn, { minGapMs: 100 });
    schedule();
    await vi.advanceTimersByTimeAsync(0);
    schedule();
    schedule.cancel();
    schedule();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
