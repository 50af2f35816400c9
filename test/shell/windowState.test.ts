import { describe, expect, it } from 'vitest';
import {
  defaultWindowSize,
  initialBounds,
  minWindowSize,
  nextWindowState,
  readWindowState,
  type Rect,
  type WindowState,
} from '../../main/electron/pure/windowState';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 870 };
const monitorRight: Rect = { x: 1440, y: 0, width: 2560, height: 1400 };
const snap = (
  normalBounds: Rect,
  flags: Partial<Record<'isMinimized' | 'isMaximized' | 'isFullScreen', boolean>> = {},
) => ({
  normalBounds,
  isMinimized: false,
  isMaximized: false,
  isFullScreen: false,
  ...flags,
});

describe('initialBounds', () => {
  it('centres the default size on the primary display when nothing was saved', () => {
    const b = initialBounds(null, [laptop]);
    expect(b).toEqual({ width: 1200, height: 800, x: 120, y: 35 });
  });

  it('reopens exactly where the window was when that spot is still on a display', () => {
    const saved: WindowState = {
      bounds: { x: 1600, y: 100, width: 1000, height: 700 },
      maximized: false,
    };
    expect(initialBounds(saved, [laptop, monitorRight])).toEqual(saved.bounds);
  });

  it('moves a window from an unplugged monitor back onto the primary display', () => {
    const saved: WindowState = {
      bounds: { x: 1600, y: 100, width: 1000, height: 700 },
      maximized: false,
    };
    const b = initialBounds(saved, [laptop]);
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width).toBeLessThanOrEqual(laptop.width);
    expect(b).toMatchObject({ width: 1000, height: 700 });
  });

  it('shrinks a window larger than the display and pulls a half-off-screen one back in', () => {
    const saved: WindowState = {
      bounds: { x: 1000, y: -10, width: 3000, height: 2000 },
      maximized: false,
    };
    const b = initialBounds(saved, [laptop]);
    expect(b).toEqual({ x: 0, y: 0, width: 1440, height: 870 });
  });

  it('treats a title bar hidden above the top of every display as not visible', () => {
    const saved: WindowState = {
      bounds: { x: 100, y: -600, width: 800, height: 600 },
      maximized: false,
    };
    const b = initialBounds(saved, [laptop]);
    expect(b.y).toBeGreaterThanOrEqual(0);
  });

  it('never opens smaller than the minimum size on a display that can hold it', () => {
    const saved: WindowState = {
      bounds: { x: 10, y: 10, width: 200, height: 150 },
      maximized: false,
    };
    const b = initialBounds(saved, [laptop]);
    expect(b.width).toBe(minWindowSize.width);
    expect(b.height).toBe(minWindowSize.height);
  });
});

describe('nextWindowState', () => {
  const normal = { x: 50, y: 60, width: 1100, height: 700 };
  it('records the normal bounds of a normal window', () => {
    expect(nextWindowState(null, snap(normal))).toEqual({ bounds: normal, maximized: false });
  });

  it('ignores geometry while minimised: the previous state stays', () => {
    const prev: WindowState = { bounds: normal, maximized: false };
    expect(
      nextWindowState(
        prev,
        snap({ x: -32000, y: -32000, width: 160, height: 28 }, { isMinimized: true }),
      ),
    ).toBe(prev);
  });

  it('keeps the previous normal bounds when maximised or full screen and remembers the flag', () => {
    const prev: WindowState = { bounds: normal, maximized: false };
    const full = { x: 0, y: 0, width: 1440, height: 870 };
    expect(nextWindowState(prev, snap(full, { isMaximized: true }))).toEqual({
      bounds: normal,
      maximized: true,
    });
    expect(nextWindowState(prev, snap(full, { isFullScreen: true }))).toEqual({
      bounds: normal,
      maximized: true,
    });
  });

  it('rounds fractional geometry (HiDPI scaling) and rejects nonsense sizes', () => {
    expect(
      nextWindowState(null, snap({ x: 10.4, y: 20.6, width: 900.5, height: 600.2 }))?.bounds,
    ).toEqual({
      x: 10,
      y: 21,
      width: 901,
      height: 600,
    });
    expect(nextWindowState(null, snap({ x: 0, y: 0, width: 0, height: 0 }))).toBeNull();
  });
});

describe('readWindowState', () => {
  it('accepts what it wrote and treats anything malformed as nothing saved', () => {
    const good = { bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true };
    expect(readWindowState(good)).toEqual(good);
    expect(readWindowState({ bounds: { x: 'a' }, maximized: true })).toBeNull();
    expect(readWindowState(undefined)).toBeNull();
    expect(initialBounds(readWindowState('garbage'), [laptop])).toMatchObject(defaultWindowSize);
  });
});
