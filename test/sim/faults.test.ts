import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphClient } from '../../main/core/graph/client';
import type { GraphError } from '../../main/core/graph/errors';
import { createSimulator, type Simulator } from './server';
import { fixtureDiff, graph } from './testkit';

/** Fault switches: next N matching calls answer with a Meta error, a 5xx or a delay. */
let sim: Simulator;
let page: { id: string; accessToken: string };
let other: { id: string; accessToken: string };
beforeAll(async () => {
  sim = await createSimulator({ appSecret: 'x', seed: 11 });
  page = sim.control.createPage();
  other = sim.control.createPage();
});
afterAll(() => sim.close());

describe('fault switches', () => {
  it('a throttling code for one page, for the next 2 calls, with usage headers the GraphClient reads', async () => {
    sim.control.injectFault({
      match: { pageId: page.id },
      error: { code: 80001 },
      count: 2,
      regainAccessMinutes: 3,
    });
    const c = new GraphClient({ baseUrl: sim.url, version: 'v25.0' });
    for (let i = 0; i < 2; i++) {
      const err = (await c.get(page.id, page.accessToken).catch((e: unknown) => e)) as GraphError;
      expect(err.code).toBe(80001);
      expect(err.action).toBe('rate_limit');
      expect(err.retryAfterMs).toBe(3 * 60_000);
    }
    // other pages were never affected, and the third call goes through
    await expect(c.get(other.id, other.accessToken)).resolves.toMatchObject({ id: other.id });
    await expect(c.get(page.id, page.accessToken)).resolves.toMatchObject({ id: page.id });
  });

  it.each([4, 17, 32, 613])(
    'rate limit code %i has the Meta shape and X-App-Usage / X-Business-Use-Case-Usage',
    async (code) => {
      sim.control.injectFault({ match: { path: '*' }, error: { code } });
      const res = await graph(sim, 'GET', page.id, page.accessToken);
      expect(res.status).toBe(400);
      expect(fixtureDiff('graph-error-rate-limit', res.json)).toEqual([]);
      expect((res.json.error as { code: number }).code).toBe(code);
      expect(JSON.parse(res.headers.get('x-app-usage')!)).toMatchObject({ call_count: 100 });
      const buc = JSON.parse(res.headers.get('x-business-use-case-usage')!) as Record<
        string,
        { estimated_time_to_regain_access: number }[]
      >;
      expect(buc[page.id]![0]!.estimated_time_to_regain_access).toBe(1);
    },
  );

  it('190 with a subcode for one token only, matched by path pattern', async () => {
    sim.control.injectFault({
      match: { token: page.accessToken, path: '*/leadgen_forms' },
      error: { code: 190, error_subcode: 460 },
    });
    const hit = await graph(sim, 'GET', `${page.id}/leadgen_forms`, page.accessToken);
    expect(hit.json.error).toMatchObject({ code: 190, error_subcode: 460, type: 'OAuthException' });
    expect((await graph(sim, 'GET', `${page.id}/leadgen_forms`, page.accessToken)).status).toBe(
      200,
    );
  });

  it('a bare 500 answers a transient Meta error; 200/10 are 403 permission errors', async () => {
    sim.control.injectFault({ match: { pageId: page.id }, error: { status: 503 } });
    const res = await graph(sim, 'GET', page.id, page.accessToken);
    expect(res.status).toBe(503);
    expect(res.json.error).toMatchObject({ code: 2, is_transient: true });
    sim.control.injectFault({ match: { pageId: page.id }, error: { code: 200 } });
    expect((await graph(sim, 'GET', page.id, page.accessToken)).status).toBe(403);
  });

  it('a delay fault holds the answer, then serves it normally', async () => {
    sim.control.injectFault({ match: { pageId: other.id }, error: { delayMs: 150 }, count: 1 });
    const t0 = performance.now();
    const res = await graph(sim, 'GET', other.id, other.accessToken);
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('through the HTTP control API, and every call is recorded with its token', async () => {
    const r = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ match: { path: `${other.id}` }, error: { code: 100 }, count: 1 }),
    });
    expect(r.status).toBe(200);
    expect((await graph(sim, 'GET', other.id, other.accessToken)).status).toBe(400);
    const calls = sim.control.calls({ path: other.id });
    expect(calls.at(-1)).toMatchObject({
      method: 'GET',
      token: other.accessToken,
      tokenKind: 'page',
      status: 400,
    });
  });
});
