/**
 * Hostile values for the fuzzers: malformed, truncated, oversized, deeply nested, wrong-typed and
 * unicode-heavy. Shared by the API, relay and ingest fuzz tests so each attacks with the same kit.
 */
import fc from 'fast-check';

/** Text mixing astral-plane characters, combining marks, RTL/zero-width controls and lone surrogates. */
export const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 32 }),
  fc.constantFrom(
    '\u0000',
    '\ud800',
    '\udfff\ud800',
    '\u202e\u202d',
    '\u200b\ufeff',
    'e\u0301\u0301\u0301\u0301',
    '🧨'.repeat(200),
    '%s%n%x',
    '__proto__',
    'constructor',
    "'; DROP TABLE leads; --",
    '../../../../etc/passwd',
    '\\u0000',
  ),
);

/** A value nested `depth` levels deep (arrays or objects), built iteratively so we never recurse. */
export function deeplyNested(depth: number, asObject: boolean): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}

export const deepValue = fc
  .tuple(fc.integer({ min: 50, max: 5_000 }), fc.boolean())
  .map(([depth, asObject]) => deeplyNested(depth, asObject));

export const oversizedString = fc
  .integer({ min: 70_000, max: 1_100_000 })
  .map((n) => 'x'.repeat(n));

/** Anything JSON could carry plus the values JSON cannot (undefined, NaN, -0, big ints, Infinity). */
export const wrongTyped = fc.oneof(
  fc.anything({
    maxDepth: 4,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withNullPrototype: true,
  }),
  fc.constantFrom(
    undefined,
    null,
    NaN,
    -0,
    Infinity,
    -Infinity,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    true,
    [],
    {},
    '',
  ),
  nastyString,
);

/** Objects whose own keys are hostile (prototype keys via JSON.parse, so they are own properties). */
export const pollutingObject = fc.constantFrom(
  JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown,
  JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}') as unknown,
  JSON.parse('{"id":{"__proto__":{"polluted":"yes"}}}') as unknown,
);

/** Every hostile kind at once: what a fuzzer throws at an entry point. */
export const hostile = fc.oneof(
  { weight: 5, arbitrary: wrongTyped },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: oversizedString },
  { weight: 1, arbitrary: pollutingObject },
);

/**
 * Takes a valid object and breaks one field: removes it, swaps its type, nests it deeply, makes it
 * huge, or fills it with unicode noise. Closer to real bugs than purely random values.
 */
export function mutateOneField(
  valid: Record<string, unknown>,
): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(valid);
  if (keys.length === 0) return fc.constant({ ...valid, unexpected: 'x' });
  return fc
    .tuple(
      fc.constantFrom(...keys),
      fc.oneof(fc.constant(undefined), wrongTyped, deepValue, oversizedString),
    )
    .map(([key, value]) => {
      const copy: Record<string, unknown> = { ...valid };
      if (value === undefined) delete copy[key];
      else copy[key] = value;
      return copy;
    });
}

/** Wrong-typed values that JSON can carry (for bodies that must serialise). */
export const jsonWrongTyped = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  nastyString,
  fc.constantFrom(null, true, 0, -1, 1e308, [], {}, ''),
);

/** JSON text nested `depth` levels deep, built as text (JSON.stringify itself would overflow). */
export function deepJsonText(depth: number, asObject: boolean): string {
  return asObject
    ? '{"a":'.repeat(depth) + '"b"' + '}'.repeat(depth)
    : '['.repeat(depth) + '"b"' + ']'.repeat(depth);
}
