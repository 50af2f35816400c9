/**
 * Where the main window opens. Pure rules (no electron import) so they are tested under Node:
 * a saved position is only reused when enough of it is on a display that is still attached, and
 * geometry taken while minimised, maximised or full screen is never saved as the normal size.
 */
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const defaultWindowSize = { width: 1200, height: 800 } as const;
export const minWindowSize = { width: 720, height: 480 } as const;
/** How much of the title-bar strip must stay on a display for a saved position to be reused. */
const minVisible = { width: 120, height: 40 } as const;

const rectSchema = z.object({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
});

export const windowStateSchema = z.object({ bounds: rectSchema, maximized: z.boolean() });
export type WindowState = z.infer<typeof windowStateSchema>;

/** What the window reports when we snapshot it (BrowserWindow.getNormalBounds etc.). */
export interface WindowSnapshot {
  normalBounds: Rect;
  isMinimized: boolean;
  isMaximized: boolean;
  isFullScreen: boolean;
}

/**
 * The state to store after a move/resize/close. Minimised: keep what we had (a minimised
 * window's bounds are off-screen on Windows). Maximised/full screen: remember the flag, keep the
 * previous normal bounds so "unmaximise" on next launch goes back to a sensible size.
 */
export function nextWindowState(
  previous: WindowState | null,
  snap: WindowSnapshot,
): WindowState | null {
  if (snap.isMinimized) return previous;
  if (snap.isMaximized || snap.isFullScreen) {
    const bounds =
      previous?.bounds ?? (isUsable(snap.normalBounds) ? roundRect(snap.normalBounds) : null);
    return bounds ? { bounds, maximized: true } : null;
  }
  if (!isUsable(snap.normalBounds)) return previous;
  return { bounds: roundRect(snap.normalBounds), maximized: false };
}

/** Reads what electron-store holds; anything malformed counts as "nothing saved". */
export function readWindowState(stored: unknown): WindowState | null {
  const parsed = windowStateSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/**
 * Bounds to open with, given the saved state and the displays' work areas (primary first).
 * A position that is not visible enough on any display (monitor unplugged, resolution changed)
 * is dropped and the window is centred on the primary display; the size is clamped to fit.
 */
export function initialBounds(saved: WindowState | null, workAreas: Rect[]): Rect {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...defaultWindowSize };
  if (saved) {
    const home = workAreas.find((area) => titleBarVisibleOn(saved.bounds, area));
    if (home) return clampInto(saved.bounds, home);
    return centreIn(clampSize(saved.bounds, primary), primary);
  }
  return centreIn(clampSize({ x: 0, y: 0, ...defaultWindowSize }, primary), primary);
}

function titleBarVisibleOn(bounds: Rect, area: Rect): boolean {
  const strip = {
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: Math.min(bounds.height, 40),
  };
  const overlapW = Math.min(strip.x + strip.width, area.x + area.width) - Math.max(strip.x, area.x);
  const overlapH =
    Math.min(strip.y + strip.height, area.y + area.height) - Math.max(strip.y, area.y);
  return (
    overlapW >= Math.min(minVisible.width, strip.width) &&
    overlapH >= Math.min(minVisible.height, strip.height)
  );
}

function clampSize(bounds: Rect, area: Rect): Rect {
  return {
    ...bounds,
    width: Math.max(Math.min(bounds.width, area.width), Math.min(minWindowSize.width, area.width)),
    height: Math.max(
      Math.min(bounds.height, area.height),
      Math.min(minWindowSize.height, area.height),
    ),
  };
}

/** Keeps the window inside the work area: size first, then pulls the origin back on screen. */
function clampInto(bounds: Rect, area: Rect): Rect {
  const sized = clampSize(bounds, area);
  const x = Math.min(Math.max(sized.x, area.x), area.x + area.width - sized.width);
  const y = Math.min(Math.max(sized.y, area.y), area.y + area.height - sized.height);
  return { ...sized, x, y };
}

function centreIn(bounds: Rect, area: Rect): Rect {
  return {
    width: bounds.width,
    height: bounds.height,
    x: Math.round(area.x + (area.width - bounds.width) / 2),
    y: Math.round(area.y + (area.height - bounds.height) / 2),
  };
}

function isUsable(r: Rect): boolean {
  return rectSchema.safeParse(roundRect(r)).success && r.width >= 100 && r.height >= 100;
}

function roundRect(r: Rect): Rect {
  return {
    x: Math.round(r.x),
    y: Math.round(r.y),
    width: Math.round(r.width),
    height: Math.round(r.height),
  };
}
