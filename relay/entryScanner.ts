/**
 * Finds the byte spans of each element of the top-level `entry` array in a JSON document, so each
 * event keeps the exact bytes Meta sent (Meta signs the escaped bytes; JSON.parse + stringify
 * would change escapes, number forms and key order). The caller has already checked the document
 * with JSON.parse, so this scanner may assume well-formed input and only needs to be exact.
 */
export interface Span {
  start: number;
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function entrySpans(buf: Buffer): Span[] | null {
  let i = skipWs(buf, 0);
  if (buf[i] !== 0x7b /* { */) return null;
  i = skipWs(buf, i + 1);
  let spans: Span[] | null = null;
  while (i < buf.length && buf[i] !== 0x7d /* } */) {
    const keyEnd = skipString(buf, i);
    const key = JSON.parse(buf.toString('utf8', i, keyEnd)) as string;
    i = skipWs(buf, keyEnd);
    i = skipWs(buf, i + 1); // ':'
    if (key === 'entry' && buf[i] === 0x5b /* [ */) {
      // JSON.parse keeps the last duplicate key; so do we.
      const result = arraySpans(buf, i);
      spans = result.spans;
      i = result.end;
    } else {
      i = skipValue(buf, i);
    }
    i = skipWs(buf, i);
    if (buf[i] === 0x2c /* , */) i = skipWs(buf, i + 1);
  }
  return spans;
}

function arraySpans(buf: Buffer, open: number): { spans: Span[]; end: number } {
  const spans: Span[] = [];
  let i = skipWs(buf, open + 1);
  while (i < buf.length && buf[i] !== 0x5d /* ] */) {
    const end = skipValue(buf, i);
    spans.push({ start: i, end });
    i = skipWs(buf, end);
    if (buf[i] === 0x2c) i = skipWs(buf, i + 1);
  }
  return { spans, end: i + 1 };
}

const isWs = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipWs(buf: Buffer, i: number): number {
  while (i < buf.length && isWs(buf[i])) i++;
  return i;
}

/**
 * `i` at the opening quote; returns the index just past the closing quote. Strings are most of a
 * delivery's bytes, so this jumps from quote to quote (native memchr) instead of walking bytes: a
 * quote ends the string unless an odd run of backslashes precedes it.
 */
function skipString(buf: Buffer, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = buf.indexOf(QUOTE, from);
    if (q === -1) return buf.length;
    let k = q - 1;
    while (buf[k] === BACKSLASH) k--; // stops at the opening quote at the latest
    if ((q - 1 - k) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** Skips one JSON value of any kind; returns the index just past it. */
function skipValue(buf: Buffer, i: number): number {
  const c = buf[i];
  if (c === QUOTE) return skipString(buf, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    while (i < buf.length) {
      const d = buf[i]!;
      if (d === QUOTE) {
        i = skipString(buf, i);
        continue;
      }
      if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  // number, true, false, null
  while (i < buf.length) {
    const d = buf[i]!;
    if (d === 0x2c || d === 0x7d || d === 0x5d || isWs(d)) break;
    i++;
  }
  return i;
}
