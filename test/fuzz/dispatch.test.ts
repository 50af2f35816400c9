/**
 * Bad arguments from the renderer (IPC or host socket) are refused with invalid_input, a message
 * that says which method and which field, and no handler runs: nothing changes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatch, type Handlers } from '../../main/core/api/dispatch';
import { apiMethods, isMethodName, methodNames, type MethodName } from '../../shared/index';
import { hostile, mutateOneField, nastyString, wrongTyped } from './arbitraries';
import { createTestCore, type TestCore } from './coreFixture';

const runsPerMethod = 60;

function invalidFor(method: MethodName, input: unknown): boolean {
  return !apiMethods[method].input.safeParse(input ?? {}).success;
}

/** A valid input to mutate from: whatever the schema accepts as `{}` after defaults, if anything. */
function baseInput(method: MethodName): Record<string, unknown> {
  const parsed = apiMethods[method].input.safeParse({});
  return parsed.success && parsed.data && typeof parsed.data === 'object'
    ? (parsed.data as Record<string, unknown>)
    : { id: 'x' };
}

const inputFor = (method: MethodName) => fc.oneof(hostile, mutateOneField(baseInput(method)));

describe('API dispatch refuses bad input', () => {
  it('never calls a handler for input its schema rejects, and says what was wrong', async () => {
    const called: string[] = [];
    const handlers = new Proxy({} as Handlers, {
      get: (_t, name) => () => {
        called.push(String(name));
        return {};
      },
    });
    const dispatch = createDispatch(handlers);
    let refused = 0;
    for (const method of methodNames) {
      await fc.assert(
        fc.asyncProperty(inputFor(method), async (input) => {
          if (!invalidFor(method, input)) return;
          refused++;
          const r = await dispatch(method, input);
          expect(r.ok).toBe(false);
          if (r.ok) return;
          expect(r.error.code).toBe('invalid_input');
          expect(r.error.message).toContain(method);
          expect(r.error.issues?.length).toBeGreaterThan(0);
          // A clear message, not an echo of a megabyte of attacker input.
          expect(r.error.message.length).toBeLessThan(4_000);
        }),
        { numRuns: runsPerMethod },
      );
    }
    expect(called).toEqual([]);
    // Guard against a generator that only ever produced valid input (a test that cannot fail).
    expect(refused).toBeGreaterThan(methodNames.length * runsPerMethod * 0.5);
  });

  it('refuses unknown method names, including prototype keys', async () => {
    const dispatch = createDispatch(new Proxy({} as Handlers, { get: () => () => ({}) }));
    const names = fc.oneof(
      nastyString,
      wrongTyped,
      fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'valueOf',
        ...methodNames.map((m) => `${m} `),
        ...methodNames.map((m) => m.toUpperCase()),
      ),
    );
    await fc.assert(
      fc.asyncProperty(names, wrongTyped, async (name, input) => {
        fc.pre(!isMethodName(name));
        const r = await dispatch(name, input);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('invalid_input');
      }),
      { numRuns: 300 },
    );
  });
});

describe('core.dispatch under hostile input', () => {
  let t: TestCore;
  beforeAll(() => {
    t = createTestCore();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('writes nothing, pollutes nothing, and keeps answering valid calls', async () => {
    const before = t.writes();
    for (const method of methodNames) {
      await fc.assert(
        fc.asyncProperty(inputFor(method), async (input) => {
          if (!invalidFor(method, input)) return;
          const r = await t.core.dispatch(method, input);
          expect(r.ok ? 'ok' : r.error.code).toBe('invalid_input');
        }),
        { numRuns: 30 },
      );
    }
    expect(t.writes()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const list = await t.core.dispatch('leads.list', {});
    expect(list.ok).toBe(true);
  });
});
