import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitDelivery } from '../../relay/routing';

/**
 * Each event must carry the exact bytes of its `entry[]` element (Meta signs the escaped bytes).
 * The scanner jumps from quote to quote, so escapes are where it could go wrong: strings full of
 * quotes, backslash runs before a quote, and brackets inside strings.
 */
const tricky = fc.stringMatching(/^(?:[a-z"\\{}[\],:]|\\u00e4|é|😀){0,12}$/);
const entry = fc.dictionary(fc.oneof(fc.string(), tricky), fc.oneof(fc.jsonValue(), tricky), { maxKeys: 5 });
const space = fc.constantFrom('', ' ', '\n', '\t ', '\r\n');

describe('splitDelivery keeps each entry’s raw bytes', () => {
  it('for any entries, spacing and key order, each raw slice is that entry exactly as sent', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), space, space, fc.boolean(), (entries, s1, s2, objectFirst) => {
        const raws = entries.map((e) => JSON.stringify(e));
        const list = `[${s1}${raws.join(`${s2},${s1}`)}${s2}]`;
        const body = objectFirst
          ? `{${s1}"object"${s2}:${s1}"page",${s2}"entry":${s1}${list}${s2}}`
          : `{${s2}"entry"${s1}:${list},${s1}"object":"page"${s2}}`;
        const split = splitDelivery(Buffer.from(body));
        expect(split.ok).toBe(true);
        if (split.ok) expect(split.events.map((e) => e.raw)).toEqual(raws);
      }),
      { numRuns: 500 },
    );
  });

  it('a backslash run before a quote: an even run ends the string, an odd one escapes the quote', () => {
    const a = String.raw`{"id":"p","v":"ends with a backslash \\"}`;
    const b = String.raw`{"id":"p","v":"quote \" then \\\" and }]"}`;
    const split = splitDelivery(Buffer.from(`{"object":"page","entry":[${a},${b}]}`));
    expect(split.ok && split.events.map((e) => e.raw)).toEqual([a, b]);
  });
});
