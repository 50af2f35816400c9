import { afterEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from './server';
import { graph } from './testkit';

/** Scenarios are repeatable from their seed and read like real leads in several scripts. */
const sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function demo(seed: number) {
  const clock = () => Date.parse('2026-11-24T08:00:00Z');
  const sim = await createSimulator({ appSecret: 'x', seed, clock });
  sims.push(sim);
  const summary = sim.control.loadScenario({ name: 'demo' });
  const leads: unknown[] = [];
  for (const p of summary.pages) {
    for (const f of p.forms) {
      const res = await graph(
        sim,
        'GET',
        `${f}/leads?fields=id,created_time,field_data,ad_name,platform&limit=500`,
        p.accessToken,
      );
      leads.push(...(res.json.data as unknown[]));
    }
  }
  return { sim, summary, leads };
}

describe('scenario generator', () => {
  it('the same seed gives identical ids, tokens and leads; another seed does not', async () => {
    const a = await demo(7);
    const b = await demo(7);
    const c = await demo(8);
    expect(b.summary).toEqual(a.summary);
    expect(b.leads).toEqual(a.leads);
    expect(c.leads).not.toEqual(a.leads);
    expect(a.leads).toHaveLength(600);
  });

  it('demo data spans 90 days and names in Latin, Arabic, Devanagari and Japanese scripts', async () => {
    const { leads, summary } = await demo(1);
    const text = JSON.stringify(leads);
    expect(text).toMatch(/[\u0600-\u06ff]/);
    expect(text).toMatch(/[\u0900-\u097f]/);
    expect(text).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    expect(text).toMatch(/[äöüéáñ]/);
    const times = (leads as { created_time: string }[]).map((l) =>
      Date.parse(l.created_time.replace('+0000', 'Z')),
    );
    const span = (Math.max(...times) - Math.min(...times)) / 86_400_000;
    expect(span).toBeGreaterThan(80);
    expect(span).toBeLessThanOrEqual(90);
    expect(summary.conversations).toBeGreaterThan(0);
    expect(summary.whatsapp?.phoneNumberId).toBeTruthy();
    for (const l of leads as { field_data: { name: string; values: string[] }[] }[]) {
      const email = l.field_data.find((d) => d.name === 'email')!.values[0]!;
      expect(email).toMatch(/^[a-z0-9._]+@[a-z0-9.-]+$/);
    }
  });

  it('generates 100,000 leads lazily (answers built on read, identical on every read)', async () => {
    const sim = await createSimulator({ appSecret: 'x', seed: 2 });
    sims.push(sim);
    const s = sim.control.loadScenario({
      name: 'custom',
      pages: 1,
      formsPerPage: 1,
      leads: 100_000,
      conversations: 0,
      whatsapp: false,
      dataset: false,
    });
    expect(s.leads).toBe(100_000);
    const p = s.pages[0]!;
    const one = await graph(
      sim,
      'GET',
      `${p.forms[0]}/leads?fields=id,field_data&limit=3`,
      p.accessToken,
    );
    const two = await graph(
      sim,
      'GET',
      `${p.forms[0]}/leads?fields=field_data,id&limit=3`,
      p.accessToken,
    );
    expect((two.json.data as { field_data: unknown }[]).map((d) => d.field_data)).toEqual(
      (one.json.data as { field_data: unknown }[]).map((d) => d.field_data),
    );
  });
});
