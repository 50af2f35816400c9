import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphClient } from '../../main/core/graph/client';
import { createSimulator, type Simulator } from './server';
import { graph } from './testkit';

/**
 * Paging `/{form-id}/leads` to the end through the app's own GraphClient (Bearer header,
 * access_token stripped from paging.next), with `filtering` windows on time_created.
 */
let sim: Simulator;
let token: string;
let formId: string;
const now = Math.floor(Date.now() / 1000);
let times: number[];

beforeAll(async () => {
  sim = await createSimulator({ appSecret: 'x', seed: 9 });
  const page = sim.control.createPage();
  token = page.accessToken;
  formId = sim.control.createForm({ pageId: page.id }).id;
  sim.control.createLeads(formId, 1234, { fromS: now - 90 * 86400, toS: now });
  times = [...sim.context.state.forms.get(formId)!.leads.all()].map((l) => l.createdTime);
});
afterAll(() => sim.close());

function client(version = 'v26.0') {
  return new GraphClient({ baseUrl: sim.url, version });
}

async function collect(
  query: Record<string, string | number>,
): Promise<{ id: string; created_time: string }[]> {
  const rows: { id: string; created_time: string }[] = [];
  for await (const page of client().pages<{ id: string; created_time: string }>(
    `${formId}/leads`,
    token,
    query,
  ))
    rows.push(...page);
  return rows;
}

describe('lead paging', () => {
  it('pages every lead exactly once, newest first, and stops when paging.next is absent', async () => {
    const rows = await collect({ fields: 'id,created_time', limit: 100 });
    expect(rows).toHaveLength(1234);
    expect(new Set(rows.map((r) => r.id)).size).toBe(1234);
    const ts = rows.map((r) => Date.parse(r.created_time.replace('+0000', 'Z')));
    expect(ts).toEqual([...ts].sort((a, b) => b - a));
  });

  it('filters on time_created with GREATER_THAN and LESS_THAN (Unix seconds, strict bounds)', async () => {
    const from = now - 30 * 86400;
    const to = now - 10 * 86400;
    const filtering = JSON.stringify([
      { field: 'time_created', operator: 'GREATER_THAN', value: from },
      { field: 'time_created', operator: 'LESS_THAN', value: to },
    ]);
    const rows = await collect({ fields: 'id,created_time', limit: 77, filtering });
    const expected = times.filter((t) => t > from && t < to).length;
    expect(expected).toBeGreaterThan(100);
    expect(rows).toHaveLength(expected);
  });

  it('a lead created while paging does not shift later pages (cursors are keys, not offsets)', async () => {
    const first = await graph(sim, 'GET', `${formId}/leads?fields=id&limit=50`, token);
    sim.control.createLead({ formId, webhook: false });
    const after = (first.json.paging as { cursors: { after: string } }).cursors.after;
    const second = await graph(
      sim,
      'GET',
      `${formId}/leads?fields=id&limit=50&after=${after}`,
      token,
    );
    const ids1 = (first.json.data as { id: string }[]).map((r) => r.id);
    const ids2 = (second.json.data as { id: string }[]).map((r) => r.id);
    expect(ids2.some((id) => ids1.includes(id))).toBe(false);
    expect(ids2).toHaveLength(50);
  });

  it('paging.next carries access_token like Meta, and the last page has no next', async () => {
    const res = await graph(sim, 'GET', `${formId}/leads?fields=id&limit=2000`, token);
    expect(res.json.paging).not.toHaveProperty('next');
    const first = await graph(sim, 'GET', `${formId}/leads?fields=id&limit=10`, token);
    const next = new URL((first.json.paging as { next: string }).next);
    expect(next.searchParams.get('access_token')).toBe(token);
    expect(next.pathname).toBe(`/v25.0/${formId}/leads`);
  });

  it('an empty window answers {"data":[]} without paging; bad filtering is a 100', async () => {
    const empty = await graph(
      sim,
      'GET',
      `${formId}/leads?filtering=${encodeURIComponent(JSON.stringify([{ field: 'time_created', operator: 'GREATER_THAN', value: now + 10 }]))}`,
      token,
    );
    expect(empty.json).toEqual({ data: [] });
    const bad = await graph(
      sim,
      'GET',
      `${formId}/leads?filtering=${encodeURIComponent(JSON.stringify([{ field: 'email', operator: 'EQUAL', value: 1 }]))}`,
      token,
    );
    expect(bad.status).toBe(400);
    expect((bad.json.error as { code: number }).code).toBe(100);
  });

  it('accepts the token as access_token query parameter too, on unversioned paths', async () => {
    const res = await fetch(`${sim.url}/${formId}/leads?fields=id&limit=1&access_token=${token}`);
    expect(res.status).toBe(200);
  });
});
