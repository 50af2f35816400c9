/**
 * The Lead Inbox mark, drawn from geometry at any size: a blue rounded square with a white inbox
 * tray and an arrow dropping into it. Shapes are in unit coordinates and anti-aliased by
 * supersampling, so every size is rendered natively rather than scaled from one bitmap.
 */
type Pt = [number, number];
type Segment = [Pt, Pt];

const stroke = 0.06;
/** The tray (a U with a dip where things land) and the arrow, as line segments. */
const glyph: Segment[] = [
  ...polyline([
    [0.27, 0.52],
    [0.27, 0.74],
    [0.73, 0.74],
    [0.73, 0.52],
  ]),
  ...polyline([
    [0.27, 0.57],
    [0.4, 0.57],
    [0.44, 0.64],
    [0.56, 0.64],
    [0.6, 0.57],
    [0.73, 0.57],
  ]),
  [
    [0.5, 0.22],
    [0.5, 0.5],
  ],
  ...polyline([
    [0.39, 0.39],
    [0.5, 0.5],
    [0.61, 0.39],
  ]),
];

function polyline(points: Pt[]): Segment[] {
  return points.slice(1).map((p, i) => [points[i]!, p] as Segment);
}

function distToSegment([px, py]: Pt, [[ax, ay], [bx, by]]: Segment): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function inGlyph(p: Pt): boolean {
  return glyph.some((s) => distToSegment(p, s) <= stroke / 2);
}

function inRoundedSquare([x, y]: Pt, inset: number, radius: number): boolean {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  const cx = Math.min(Math.max(x, lo), hi);
  const cy = Math.min(Math.max(y, lo), hi);
  return Math.hypot(x - cx, y - cy) <= radius;
}

export type Style = 'app' | 'template';

/**
 * RGBA pixels. 'app': the full-colour icon (macOS-style 10% margin so it sits well in docks).
 * 'template': black glyph on transparent, for the macOS menu bar (the OS recolours it).
 */
export function drawIcon(size: number, style: Style): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const ss = size >= 256 ? 3 : 5; // samples per axis
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const p: Pt = [(x + (sx + 0.5) / ss) / size, (y + (sy + 0.5) / ss) / size];
          if (style === 'template') {
            if (inGlyph(p)) fg++;
          } else if (inRoundedSquare(p, 0.08, 0.19)) {
            bg++;
            if (inGlyph(p)) fg++;
          }
        }
      }
      const n = ss * ss;
      const i = (y * size + x) * 4;
      if (style === 'template') {
        out.set([0, 0, 0, Math.round((255 * fg) / n)], i);
        continue;
      }
      // Vertical gradient from a bright to a deeper blue; the glyph is white on top of it.
      const t = y / size;
      const blue = [Math.round(40 - 24 * t), Math.round(120 - 40 * t), Math.round(235 - 45 * t)];
      const alpha = bg / n;
      const white = bg ? fg / bg : 0;
      out.set(
        [
          Math.round(blue[0]! + (255 - blue[0]!) * white),
          Math.round(blue[1]! + (255 - blue[1]!) * white),
          Math.round(blue[2]! + (255 - blue[2]!) * white),
          Math.round(255 * alpha),
        ],
        i,
      );
    }
  }
  return out;
}

/** A red dot with a white rim: Windows has no numeric taskbar badge, only an overlay icon. */
export function drawBadgeDot(size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const ss = 5;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let rim = 0;
      let dot = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const d = Math.hypot(
            (x + (sx + 0.5) / ss) / size - 0.5,
            (y + (sy + 0.5) / ss) / size - 0.5,
          );
          if (d <= 0.5) rim++;
          if (d <= 0.38) dot++;
        }
      }
      const n = ss * ss;
      const red = rim ? dot / rim : 0;
      out.set(
        [
          Math.round(255 - 35 * red),
          Math.round(255 - 215 * red),
          Math.round(255 - 195 * red),
          Math.round((255 * rim) / n),
        ],
        (y * size + x) * 4,
      );
    }
  }
  return out;
}
