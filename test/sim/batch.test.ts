import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from './server';
import { graph } from './testkit';

/** Batch requests (≤ 50 operations, each counted and faulted on its own) and ?ids= reads (§8). */
let sim: Simulator;
let page: { id: string; accessToken: string };
let leads: string[];
beforeAll(async () => {
  sim = await createSimulator({ appSecret: 'x', seed: 4 });
  page = sim.control.createPage();
  const form = sim.control.createForm({ pageId: page.id });
  leads = [1, 2, 3].map(() => sim.control.createLead({ formId: form.id, webhook: false }).id);
});
afterAll(() => sim.close());

describe('batch and multi-id', () => {
  it('answers each operation with {code, body: JSON string}; one failing op does not fail the rest', async () => {
    const other = sim.control.createPage({ userId: sim.control.createUser({ name: 'Other' }).id });
    sim.control.injectFault({ match: { path: leads[1]! }, error: { code: 2 } });
    const batch = [
      ...leads.map((id) => ({ method: 'GET', relative_url: `${id}?fields=id,field_data` })),
      { method: 'GET', relative_url: other.id },
    ];
    const res = await graph(sim, 'POST', '', page.accessToken, {
      batch: JSON.stringify(batch),
      include_headers: 'false',
    });
    const items = res.json as unknown as { code: number; body: string; headers?: unknown }[];
    expect(items.map((i) => i.code)).toEqual([200, 500, 200, 400]);
    expect(items[0]).not.toHaveProperty('headers');
    expect(JSON.parse(items[0]!.body)).toMatchObject({ id: leads[0] });
    expect(JSON.parse(items[3]!.body).error.code).toBe(100);
    expect(sim.control.calls({ path: leads[2]! })).toHaveLength(1);
  });

  it('refuses more than 50 operations', async () => {
    const batch = Array.from({ length: 51 }, () => ({ method: 'GET', relative_url: page.id }));
    const res = await graph(sim, 'POST', '', page.accessToken, { batch: JSON.stringify(batch) });
    expect(res.status).toBe(400);
  });

  it('?ids= returns an object keyed by id', async () => {
    const res = await graph(
      sim,
      'GET',
      `?ids=${leads.join(',')}&fields=id,created_time`,
      page.accessToken,
    );
    expect(Object.keys(res.json).sort()).toEqual([...leads].sort());
    expect(res.json[leads[0]!]).toMatchObject({
      id: leads[0],
      created_time: expect.stringMatching(/\+0000$/),
    });
  });
});
