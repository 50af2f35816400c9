import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimWithReceiver } from './testkit';

/** The HTTP control API and the CLI over it drive the same simulator as sim.control. */
const run = promisify(execFile);
let env: Awaited<ReturnType<typeof startSimWithReceiver>>;
beforeAll(async () => {
  env = await startSimWithReceiver();
});
afterAll(() => env.close());

async function ctl(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${env.sim.url}/_sim/${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('control over HTTP', () => {
  it('creates a page, a form and a lead; the lead webhook goes out; state shows them', async () => {
    const page = (await ctl('POST', 'pages', { name: 'HTTP Page' })).json as {
      id: string;
      accessToken: string;
    };
    const form = (await ctl('POST', 'forms', { pageId: page.id, locale: 'es_ES' })).json as {
      id: string;
    };
    const lead = (await ctl('POST', 'leads', { formId: form.id })).json as { id: string };
    await env.hooks.waitFor(1);
    expect(env.hooks.received.at(-1)!.raw.toString()).toContain(lead.id);
    const state = (await ctl('GET', 'state')).json as {
      pages: { id: string; forms: string[] }[];
      leads: number;
    };
    expect(state.pages.find((p) => p.id === page.id)!.forms).toEqual([form.id]);
    expect(state.leads).toBe(1);
  });

  it('bad input gets a 400 with a message and changes nothing; unknown routes a 404 listing the routes', async () => {
    const before = env.sim.context.state.leads.size;
    const bad = await ctl('POST', 'leads', { formId: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/unknown form/);
    expect(env.sim.context.state.leads.size).toBe(before);
    const unknown = await ctl('POST', 'nothing', {});
    expect(unknown.status).toBe(404);
    expect(unknown.json.routes).toContain('POST faults');
  });

  it('leads/bulk with renderFields serves those pages from JSON rendered at once, byte for byte as on demand; a bad list makes no lead', async () => {
    const page = env.sim.control.createPage({ name: 'Bulk Page' });
    const ahead = env.sim.control.createForm({ pageId: page.id }).id;
    const onDemand = env.sim.control.createForm({ pageId: page.id }).id;
    const fields = 'id,created_time,field_data,form_id,ad_name,is_organic,platform';
    const before = env.sim.context.state.leads.size;
    const bad = await ctl('POST', 'leads/bulk', {
      formId: ahead,
      count: 5,
      renderFields: 'id,colour',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/colour/);
    expect(env.sim.context.state.leads.size).toBe(before);

    const seed = { count: 40, fromS: 1_700_000_000, toS: 1_700_086_400 };
    await ctl('POST', 'leads/bulk', { formId: ahead, ...seed, renderFields: fields });
    await ctl('POST', 'leads/bulk', { formId: onDemand, ...seed });
    const leadsOf = (formId: string) => env.sim.context.state.forms.get(formId)!.leads.all();
    expect(leadsOf(ahead).every((l) => l.cache?.key === fields)).toBe(true);
    expect(leadsOf(onDemand).every((l) => l.cache === null)).toBe(true);
    const body = async (formId: string) => {
      const url = `${env.sim.url}/v25.0/${formId}/leads?fields=${fields}&limit=100`;
      const res = await fetch(url, { headers: { authorization: `Bearer ${page.accessToken}` } });
      return (await res.json()) as { data: Record<string, unknown>[] };
    };
    const served = (await body(ahead)).data;
    expect(served).toHaveLength(40);
    // The same page rendered on demand, once the ahead-rendered JSON is dropped.
    for (const l of leadsOf(ahead)) l.cache = null;
    expect((await body(ahead)).data).toEqual(served);
    expect(served[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        form_id: ahead,
        field_data: expect.any(Array),
      }),
    );
  });

  it('the CLI creates a lead on a page and injects a fault', async () => {
    const page = env.sim.control.createPage({ name: 'CLI Page' });
    const cliEnv = { ...process.env, SIM_URL: env.sim.url };
    const out = await run(
      process.execPath,
      ['--import', 'tsx', 'test/sim/ctl.ts', 'lead', '--page', page.id],
      { env: cliEnv },
    );
    const lead = JSON.parse(out.stdout) as { id: string; pageId: string };
    expect(lead.pageId).toBe(page.id);
    expect(env.sim.context.state.leads.has(lead.id)).toBe(true);
    await run(
      process.execPath,
      ['--import', 'tsx', 'test/sim/ctl.ts', 'fault', '--page', page.id, '--code', '32'],
      { env: cliEnv },
    );
    expect(env.sim.context.faults.list()).toEqual([
      expect.objectContaining({
        match: expect.objectContaining({ pageId: page.id }),
        error: expect.objectContaining({ code: 32 }),
      }),
    ]);
  });
});
