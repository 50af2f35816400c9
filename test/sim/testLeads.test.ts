import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graph, startSimWithReceiver } from './testkit';

/**
 * `{form-id}/test_leads` (meta-platform.md §3): the Lead Ads Testing Tool's API. One test lead per
 * form until it is deleted; a test lead is organic (no ad ids), readable by id, and fires the same
 * leadgen webhook a real lead does.
 */
let env: Awaited<ReturnType<typeof startSimWithReceiver>>;
let page: { id: string; accessToken: string };
let formId: string;

beforeAll(async () => {
  env = await startSimWithReceiver();
  page = env.sim.control.createPage({ name: 'Test leads page' });
  formId = env.sim.control.createForm({ pageId: page.id }).id;
});
afterAll(() => env.close());

describe('test_leads', () => {
  it('creates one organic test lead per form, fires its leadgen webhook, and refuses a second until the first is deleted', async () => {
    const before = env.hooks.received.length;
    const fieldData = [
      { name: 'full_name', values: ['Test Lead'] },
      { name: 'email', values: ['test@example.com'] },
    ];
    const created = await graph(env.sim, 'POST', `${formId}/test_leads`, page.accessToken, {
      field_data: fieldData,
    });
    expect(created.status).toBe(200);
    const leadId = created.json.id as string;
    expect(leadId).toMatch(/^\d+$/);

    // The webhook is Meta's leadgen change for this lead: ids only, and no ad ids (organic).
    const hooks = await env.hooks.waitFor(before + 1);
    const body = JSON.parse(hooks[before]!.raw.toString('utf8')) as {
      object: string;
      entry: { id: string; changes: { field: string; value: Record<string, unknown> }[] }[];
    };
    expect(body.object).toBe('page');
    const change = body.entry[0]!.changes[0]!;
    expect(change.field).toBe('leadgen');
    expect(change.value).toMatchObject({ leadgen_id: leadId, page_id: page.id, form_id: formId });
    expect(change.value).not.toHaveProperty('ad_id');
    expect(change.value).not.toHaveProperty('field_data');

    // GET lists it, with the answers sent.
    const listed = await graph(env.sim, 'GET', `${formId}/test_leads`, page.accessToken);
    expect(listed.status).toBe(200);
    const data = listed.json.data as { id: string; field_data: unknown }[];
    expect(data.map((d) => d.id)).toEqual([leadId]);
    expect(data[0]!.field_data).toEqual(fieldData);

    // By id it is an organic lead.
    const lead = await graph(
      env.sim,
      'GET',
      `${leadId}?fields=id,is_organic,ad_id`,
      page.accessToken,
    );
    expect(lead.json).toMatchObject({ id: leadId, is_organic: true });
    expect(lead.json).not.toHaveProperty('ad_id');

    // A second test lead is refused with Meta's error shape until the first is deleted.
    const second = await graph(env.sim, 'POST', `${formId}/test_leads`, page.accessToken, {});
    expect(second.status).toBe(400);
    expect(second.json.error).toMatchObject({ code: 100, type: 'OAuthException' });
    expect((second.json.error as { fbtrace_id?: unknown }).fbtrace_id).toEqual(expect.any(String));

    const deleted = await graph(env.sim, 'DELETE', leadId, page.accessToken);
    expect(deleted.json).toEqual({ success: true });
    const again = await graph(env.sim, 'POST', `${formId}/test_leads`, page.accessToken, {});
    expect(again.status).toBe(200);
    expect(again.json.id).not.toBe(leadId);
  });

  it('needs a token of the form’s page', async () => {
    const other = env.sim.control.createPage({ name: 'Someone else' });
    const res = await graph(env.sim, 'POST', `${formId}/test_leads`, other.accessToken, {});
    // Meta answers as for an object that does not exist (100 / subcode 33), as the sim does elsewhere.
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 100, error_subcode: 33 });
    const listed = await graph(env.sim, 'GET', `${formId}/test_leads`, page.accessToken);
    expect((listed.json.data as unknown[]).length).toBe(1);
  });
});
