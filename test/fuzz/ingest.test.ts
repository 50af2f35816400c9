/**
 * Hostile relay events through the desktop's ingest path: the relay client's frame processing
 * (processEventFrame) with every handler the real core registers (core.registry: leadgen,
 * Messenger, Instagram, WhatsApp, permissions). Bad events must not throw (a throw would stop the
 * stream: the event is never acked and comes back forever), must write no row, must leave a log
 * line when they are recognisably broken, and the valid leads sent between them must all land.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processEventFrame, storedCursor } from '../../main/core/relayClient/processFrame';
import type { EventFrame, RoutingKind } from '../../shared/relay-protocol';
import { deepJsonText, jsonWrongTyped, nastyString } from './arbitraries';
import { createTestCore, type TestCore } from './coreFixture';

let t: TestCore;
let seq = 0;
let validLeads = 0;

beforeAll(() => {
  t = createTestCore();
});
afterAll(async () => {
  await t.dispose();
});

function frame(
  kind: RoutingKind,
  raw: string,
  object = kind === 'whatsapp' ? 'whatsapp_business_account' : kind,
): EventFrame {
  return { type: 'event', seq: 0, receivedAt: Date.now(), object, kind, assetId: '3001', raw };
}

/** Row counts of every table except kv (the cursor lives there and must advance). */
function rowCounts(): Record<string, number> {
  const tables = t.core.db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'kv'",
    )
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      (t.core.db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
    ]),
  );
}

const leadgenEntry = (leadId: unknown, pageId: unknown = '3001') =>
  JSON.stringify({
    id: '3001',
    time: Date.now(),
    changes: [
      {
        field: 'leadgen',
        value: {
          leadgen_id: leadId,
          page_id: pageId,
          form_id: '3001001',
          created_time: 1_763_000_000,
        },
      },
    ],
  });

/** An id value that is certainly not an id (ids are strings or numbers). */
const notAnId = fc.oneof(
  fc.constantFrom(null, true, false, [], {}, [1], { id: null }, { id: [] }),
  // Neither an id nor an object carrying one (`{id: "1"}` is a valid sender/recipient).
  fc
    .jsonValue({ maxDepth: 3 })
    .filter(
      (v) =>
        typeof v !== 'string' &&
        typeof v !== 'number' &&
        !(v !== null && typeof v === 'object' && 'id' in v),
    ),
);

type Case =
  | { kind: 'valid'; frame: EventFrame; leadId: string }
  | { kind: 'broken' | 'odd'; frame: EventFrame; why: string };

const kinds: RoutingKind[] = ['page', 'instagram', 'whatsapp', 'permissions', 'unknown'];

/** Events the code must call broken and log: raw that is not a JSON object, or a leadgen change without ids. */
const broken: fc.Arbitrary<Case> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...kinds),
      fc.oneof(nastyString, fc.constantFrom('', '[]', '42', '"x"', 'null', '{', '{"id":')),
    )
    .map(([k, raw]) => ({
      kind: 'broken' as const,
      frame: frame(k, raw),
      why: 'not a JSON object',
    })),
  fc
    .tuple(fc.constantFrom(...kinds), fc.integer({ min: 1, max: leadgenEntry('1').length - 1 }))
    .map(([k, cut]) => ({
      kind: 'broken' as const,
      frame: frame(k, leadgenEntry('77').slice(0, cut)),
      why: 'truncated',
    })),
  fc.integer({ min: 10_000, max: 100_000 }).map((d) => ({
    kind: 'broken' as const,
    frame: frame('page', deepJsonText(d, false)),
    why: 'deeply nested array',
  })),
  notAnId.map((id) => ({
    kind: 'broken' as const,
    frame: frame('page', leadgenEntry(id)),
    why: 'leadgen_id not an id',
  })),
  notAnId.map((id) => ({
    kind: 'broken' as const,
    frame: frame('page', leadgenEntry('78', id)),
    why: 'page_id not an id',
  })),
);

/** Valid JSON objects of the wrong shape for their kind: nothing may be written; a log line is optional. */
const odd: fc.Arbitrary<Case> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...kinds), fc.dictionary(nastyString, jsonWrongTyped, { maxKeys: 5 }))
    .map(([k, o]) => ({
      kind: 'odd' as const,
      frame: frame(k, JSON.stringify(o)),
      why: 'random object',
    })),
  fc
    .tuple(
      fc.constantFrom<RoutingKind>('page', 'instagram'),
      fc.array(jsonWrongTyped, { maxLength: 4 }),
      notAnId,
    )
    .map(([k, messaging, id]) => ({
      kind: 'odd' as const,
      frame: frame(k, JSON.stringify({ id, time: 1, messaging })),
      why: 'messaging with bad entry id',
    })),
  fc
    .tuple(
      fc.constantFrom<RoutingKind>('page', 'instagram'),
      fc.array(
        fc.dictionary(
          fc.constantFrom(
            'sender',
            'recipient',
            'timestamp',
            'message',
            'delivery',
            'read',
            'reaction',
            'postback',
          ),
          notAnId,
        ),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([k, messaging]) => ({
      kind: 'odd' as const,
      frame: frame(k, JSON.stringify({ id: '3001', time: 1, messaging })),
      why: 'messaging events with wrong-typed fields',
    })),
  fc
    .array(
      fc.record({
        field: fc.constantFrom('messages', 'statuses', 'x'),
        value: fc.oneof(
          jsonWrongTyped,
          fc.record({
            messaging_product: fc.constant('whatsapp'),
            metadata: notAnId,
            messages: notAnId,
            statuses: notAnId,
          }),
        ),
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((changes) => ({
      kind: 'odd' as const,
      frame: frame('whatsapp', JSON.stringify({ id: '3002', changes })),
      why: 'whatsapp changes with wrong-typed values',
    })),
  fc.array(jsonWrongTyped, { minLength: 1, maxLength: 3 }).map((changes) => ({
    kind: 'odd' as const,
    frame: frame('permissions', JSON.stringify({ id: '3003', time: 1, changes })),
    why: 'permissions with junk changes',
  })),
  fc.integer({ min: 2_000, max: 50_000 }).map((d) => ({
    kind: 'odd' as const,
    frame: frame(
      'page',
      `{"id":"3001","changes":[{"field":"leadgen","value":${deepJsonText(d, true)}}]}`,
    ),
    why: 'deeply nested leadgen value',
  })),
  fc.integer({ min: 1_000_000, max: 1_500_000 }).map((n) => ({
    kind: 'odd' as const,
    frame: frame(
      'page',
      JSON.stringify({
        id: '3001',
        changes: [{ field: 'feed', value: { message: 'x'.repeat(n) } }],
      }),
    ),
    why: 'oversized feed change',
  })),
);

const valid: fc.Arbitrary<Case> = fc.constant(null).map(() => {
  const leadId = `${9_000_000_000 + validLeads++}`;
  return { kind: 'valid' as const, frame: frame('page', leadgenEntry(leadId)), leadId };
});

describe('desktop ingest under hostile relay events', () => {
  it('processes valid leads between bad events, writes nothing from bad ones, logs the broken ones', () => {
    const seenValid = new Set<string>();
    let brokenCount = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { weight: 2, arbitrary: valid },
            { weight: 2, arbitrary: broken },
            { weight: 2, arbitrary: odd },
          ),
          { minLength: 3, maxLength: 25 },
        ),
        (cases) => {
          for (const generated of cases) {
            // Sequence numbers are given at delivery time: shrinking replays cases out of order.
            const c = { ...generated, frame: { ...generated.frame, seq: ++seq } } as Case;
            const before = rowCounts();
            const logged = t.logger.lines.length;
            // Must not throw: a throw means "not committed, not acked", i.e. this event blocks the stream.
            processEventFrame(t.core.db, t.core.registry, c.frame, t.logger);
            expect(storedCursor(t.core.db)).toBe(c.frame.seq);
            if (c.kind === 'valid') {
              seenValid.add(c.leadId);
              const row = t.core.db
                .prepare('SELECT id, state FROM leads WHERE id = ?')
                .get(c.leadId);
              expect(row).toEqual({ id: c.leadId, state: 'pending' });
              continue;
            }
            expect(rowCounts(), `${c.why}: ${c.frame.raw.slice(0, 200)}`).toEqual(before);
            if (c.kind === 'broken') {
              brokenCount++;
              const line = t.logger.lines
                .slice(logged)
                .find((l) => l.level === 'warn' && l.fields?.seq === c.frame.seq);
              expect(line?.msg, `${c.why}: no log line`).toMatch(/skipped/);
              // The log line names the event, never its content.
              if (c.frame.raw.length >= 24)
                expect(JSON.stringify(line)).not.toContain(c.frame.raw.slice(0, 24));
            }
          }
        },
      ),
      // Bounded: shrinking over megabyte inputs can otherwise run for minutes.
      { numRuns: 40, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false },
    );
    const leads = t.core.db.prepare('SELECT id FROM leads ORDER BY id').all() as { id: string }[];
    expect(leads.map((l) => l.id)).toEqual([...seenValid].sort());
    expect(brokenCount).toBeGreaterThan(50);
  });

  it('the same leadgen event delivered again (relay replay, Meta retry) stays one row', () => {
    const raw = leadgenEntry('8000000001');
    for (let i = 0; i < 5; i++)
      processEventFrame(
        t.core.db,
        t.core.registry,
        { ...frame('page', raw), seq: ++seq },
        t.logger,
      );
    const n = t.core.db
      .prepare('SELECT count(*) AS n FROM leads WHERE id = ?')
      .get('8000000001') as { n: number };
    expect(n.n).toBe(1);
  });
});
