/**
 * The whole app path: a lead submitted on Facebook arrives through the relay, the owner moves it
 * through the pipeline with the real API (dispatch → leads.setStatus), and the core's background
 * conversions worker reports the stage to the simulator's Conversions API. Needs the keychain:
 * run inside `.ci/with-keyring.sh`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectAndEnable, startStack, waitFor, type Stack } from '../core/harness';

describe('pipeline stage → Meta Conversions API, through the running core', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  it('moving a live lead to "won" reports one Converted event with the page token; first contact recorded', async () => {
    const page = stack.sim.control.createPage({ name: 'Bakery Berlin', subscribed: false });
    const form = stack.sim.control.createForm({ pageId: page.id, name: 'Cake orders' });
    const dataset = stack.sim.control.createDataset();
    await connectAndEnable(stack);
    const d = stack.desktop;
    await d.call('conversions.updateSettings', { datasetId: dataset.id });
    const lead = stack.sim.control.createLead({ formId: form.id });
    await waitFor(() => d.core.db.prepare(`SELECT 1 FROM leads WHERE id = ? AND state = 'complete'`).get(lead.id), 'the lead in SQLite');

    await d.call('leads.setStatus', { ids: [lead.id], status: 'contacted' });
    await d.call('leads.setStatus', { ids: [lead.id], status: 'won' });
    await d.call('leads.setStatus', { ids: [lead.id], status: 'contacted' });

    const names = () => stack.sim.control.capiEvents().flatMap((b) => b.events.map((e) => (e as { event_name: string }).event_name));
    await waitFor(() => names().length >= 2, 'both stages at Meta');
    await waitFor(async () => (await d.call('conversions.forLead', { leadId: lead.id })).events.every((e) => e.status === 'sent'), 'the log to say sent');
    expect(names().sort()).toEqual(['Contacted', 'Converted']);
    const batches = stack.sim.control.capiEvents();
    expect(batches.every((b) => b.datasetId === dataset.id)).toBe(true);
    // Sent with a page token of this page (sync may refresh the stored one between batches).
    for (const b of batches) {
      const token = stack.sim.context.state.tokens.get(b.token);
      expect({ kind: token?.kind, pageId: token?.pageId }).toEqual({ kind: 'page', pageId: page.id });
    }

    const row = await d.call('leads.get', { id: lead.id });
    expect(row.status).toBe('contacted');
    expect(row.firstContactAt).not.toBeNull();
    const stats = await d.call('speedToLead.stats', {});
    expect(stats.overall.contacted).toBe(1);
  });
});
