/**
 * Conversion feedback end to end: a real SQLite store, the inbox's own status change, the real
 * keychain (run inside `.ci/with-keyring.sh`), and the Meta simulator's `{dataset}/events` endpoint
 * recording what it accepted.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConversions } from '../../main/core/conversions/index';
import { writeConversionSettings } from '../../main/core/conversions/settings';
import { createMutations } from '../../main/core/inbox/mutations';
import { createKeytarTokenStore } from '../../main/core/keychain/keytarTokenStore';
import type { TokenStore } from '../../main/core/ports';
import { createSimulator, type Simulator } from '../sim/server';
import { busWithLog, insertLead, manualClock, tempDb } from './helpers';

const min = 60_000;

interface Env {
  sim: Simulator;
  store: ReturnType<typeof tempDb>;
  tokens: TokenStore;
  clock: ReturnType<typeof manualClock>;
  pageId: string;
  pageToken: string;
  formId: string;
  datasetId: string;
  conversions: ReturnType<typeof createConversions>;
  events: ReturnType<typeof busWithLog>;
  setStatus(ids: string[], status: string): void;
  /** A lead that exists at Meta and in the local store. */
  lead(fields?: { email?: string; phone?: string }): string;
  received(): { testEventCode: string | null; events: Record<string, unknown>[]; token: string }[];
  /** What the core logged (warnings and errors), shown when an assertion fails. */
  logs: string[];
}

async function setup(opts: { maxCallsPerRound?: number } = {}): Promise<Env> {
  const clock = manualClock(Date.parse('2026-11-02T10:00:00Z'));
  const sim = await createSimulator({ appSecret: 'capi-test-secret', clock: () => clock.now() });
  const store = tempDb();
  const tokens = createKeytarTokenStore(`lead-inbox-capi-test-${randomUUID()}`);
  const page = sim.control.createPage();
  const form = sim.control.createForm({ pageId: page.id });
  const dataset = sim.control.createDataset();
  await tokens.set(`page:${page.id}`, page.accessToken);
  writeConversionSettings(store.db, { datasetId: dataset.id });
  const events = busWithLog();
  const logs: string[] = [];
  const record = (level: string) => (msg: string, fields?: Record<string, unknown>) => void logs.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  const conversions = createConversions({
    db: store.db,
    graphApiUrl: sim.url,
    graphVersion: 'v25.0',
    tokens,
    events: events.events,
    clock,
    logger: { info: () => {}, warn: record('warn'), error: record('error') },
    random: () => 0.5,
    maxCallsPerRound: opts.maxCallsPerRound,
  });
  const mutations = createMutations(store.db, () => clock.now());
  return {
    sim,
    store,
    tokens,
    clock,
    pageId: page.id,
    pageToken: page.accessToken,
    formId: form.id,
    datasetId: dataset.id,
    conversions,
    events,
    logs,
    setStatus: (ids, status) => void mutations.setStatus(ids, status),
    lead(fields = {}) {
      const l = sim.control.createLead({ formId: form.id, webhook: false, createdTime: Math.floor(clock.now() / 1000) - 600 });
      insertLead(store.db, {
        id: l.id,
        pageId: page.id,
        formId: form.id,
        createdTime: l.createdTime * 1000,
        email: fields.email ?? null,
        phone: fields.phone ?? null,
      });
      return l.id;
    },
    received: () =>
      sim.control.capiEvents().map((b) => ({ testEventCode: b.testEventCode, events: b.events as Record<string, unknown>[], token: b.token })),
  };
}

async function teardown(env: Env) {
  await env.conversions.stop();
  for (const account of await env.tokens.list()) await env.tokens.delete(account);
  env.store.cleanup();
  await env.sim.close();
}

describe('conversion feedback to Meta (simulator)', () => {
  let env: Env;
  beforeEach(async () => (env = await setup()));
  afterEach(async () => teardown(env));

  it('a stage change sends exactly one correct CRM event, with the page token', async () => {
    const leadId = env.lead({ email: 'ana@example.com' });
    env.clock.advance(min);
    const changedAt = env.clock.now();
    env.setStatus([leadId], 'qualified');
    await env.conversions.runOnce();

    const batches = env.received();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.token).toBe(env.pageToken);
    expect(batches[0]!.testEventCode).toBeNull();
    expect(batches[0]!.events).toEqual([
      {
        event_name: 'Qualified',
        event_time: Math.floor(changedAt / 1000),
        action_source: 'system_generated',
        event_id: `${leadId}.qualified`,
        user_data: { lead_id: leadId },
        custom_data: { event_source: 'crm', lead_event_source: 'Lead Inbox' },
      },
    ]);
    // Only the lead id left the machine: no contact data unless the owner opts in.
    expect(JSON.stringify(batches)).not.toContain('ana@example.com');
    const log = env.conversions.handlers['conversions.forLead']({ leadId }).events;
    expect(log).toEqual([expect.objectContaining({ stage: 'qualified', status: 'sent', sentAt: env.clock.now(), lastError: null })]);
    expect(env.events.emitted).toContainEqual({ name: 'conversions.updated', payload: { leadId } });
  });

  it('moving a lead back and forth never sends a stage twice', async () => {
    const leadId = env.lead();
    env.setStatus([leadId], 'contacted');
    await env.conversions.runOnce();
    env.setStatus([leadId], 'qualified');
    env.setStatus([leadId], 'contacted');
    env.setStatus([leadId], 'qualified');
    await env.conversions.runOnce();
    await env.conversions.runOnce();

    const names = env.received().flatMap((b) => b.events.map((e) => e.event_name));
    expect(names).toEqual(['Contacted', 'Qualified']);
    expect(env.conversions.handlers['conversions.forLead']({ leadId }).events.map((e) => e.status)).toEqual(['sent', 'sent']);
  });

  it('a failure is retried with backoff and then succeeds, still once', async () => {
    const leadId = env.lead();
    env.sim.control.injectFault({ match: { path: `${env.datasetId}/events` }, error: { code: 2, message: 'An unexpected error has occurred. Please retry your request later.' } });
    env.setStatus([leadId], 'won');
    await env.conversions.runOnce();

    expect(env.received()).toHaveLength(0);
    const [pending] = env.conversions.handlers['conversions.forLead']({ leadId }).events;
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/unexpected error/) });
    expect(pending!.nextAttemptAt).toBeGreaterThan(env.clock.now());

    await env.conversions.runOnce(); // not due yet: nothing is sent in a tight loop
    expect(env.sim.control.calls({ path: `${env.datasetId}/events` })).toHaveLength(1);

    env.clock.set(pending!.nextAttemptAt!);
    await env.conversions.runOnce();
    expect(env.received().flatMap((b) => b.events.map((e) => e.event_name)), env.logs.join('\n')).toEqual(['Converted']);
    expect(env.conversions.handlers['conversions.forLead']({ leadId }).events[0]).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('several due events go in one batch; a test event code is passed along', async () => {
    env.conversions.handlers['conversions.updateSettings']({ testEventCode: 'TEST12345' });
    const ids = [env.lead(), env.lead(), env.lead()];
    env.setStatus(ids, 'qualified');
    await env.conversions.runOnce();
    const batches = env.received();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.testEventCode).toBe('TEST12345');
    expect(batches[0]!.events.map((e) => (e.user_data as { lead_id: string }).lead_id).sort()).toEqual([...ids].sort());
  });

  it('one invalid event does not sink the batch: the others are sent, it fails with Meta\'s message', async () => {
    const good = [env.lead(), env.lead()];
    // A lead Meta has never heard of (e.g. typed in by hand): Meta rejects its lead_id.
    insertLead(env.store.db, { id: '999', pageId: env.pageId, createdTime: env.clock.now() - 10 * min });
    env.setStatus([...good, '999'], 'qualified');
    await env.conversions.runOnce();

    const sent = env.received().flatMap((b) => b.events.map((e) => (e.user_data as { lead_id: string }).lead_id));
    expect(sent.sort()).toEqual([...good].sort());
    const [bad] = env.conversions.handlers['conversions.forLead']({ leadId: '999' }).events;
    expect(bad).toMatchObject({ status: 'failed' });
    expect(bad!.lastError).toMatch(/lead_id 999 is not a valid lead ID/);
    expect(env.conversions.handlers['conversions.getSettings']().health).toMatchObject({ sent: 2, failed: 1, pending: 0 });
  });

  it('a batch Meta rejects event by event is bisected within a per-round call budget, never in one burst', async () => {
    await teardown(env);
    env = await setup({ maxCallsPerRound: 4 });
    // Six leads Meta has never heard of: every event is invalid, the worst case for bisecting.
    const ids = ['991', '992', '993', '994', '995', '996'];
    for (const id of ids) insertLead(env.store.db, { id, pageId: env.pageId, createdTime: env.clock.now() - 10 * min });
    env.setStatus(ids, 'qualified');
    const calls = () => env.sim.control.calls({ path: `${env.datasetId}/events` }).length;
    const perRound: number[] = [];
    for (let round = 0; round < 10 && env.conversions.handlers['conversions.getSettings']().health.pending > 0; round++) {
      const before = calls();
      await env.conversions.runOnce();
      perRound.push(calls() - before);
      env.clock.advance(16 * min); // past the longest backoff
    }
    expect(perRound.every((n) => n <= 4), `calls per round: ${perRound.join(', ')}`).toBe(true);
    expect(perRound.length).toBeGreaterThan(1);
    for (const id of ids) {
      expect(env.conversions.handlers['conversions.forLead']({ leadId: id }).events[0]).toMatchObject({
        status: 'failed',
        lastError: expect.stringMatching(new RegExp(`lead_id ${id} is not a valid lead ID`)),
      });
    }
    expect(env.received()).toHaveLength(0);
  });

  it('a revoked token pauses sending (reauth shown) until the owner reconnects', async () => {
    const leadId = env.lead();
    // The owner changed their Facebook password: every token of theirs is dead (190/460).
    env.sim.control.revokeToken({ userId: env.sim.control.ownerId(), subcode: 460 });
    env.setStatus([leadId], 'qualified');
    await env.conversions.runOnce();
    expect(env.conversions.handlers['conversions.getSettings']().health.state).toBe('reauth_required');
    expect(env.conversions.handlers['conversions.forLead']({ leadId }).events[0]!.status).toBe('pending');

    env.clock.advance(20 * min);
    await env.conversions.runOnce(); // the refused token is not tried again
    expect(env.sim.control.calls({ path: `${env.datasetId}/events` })).toHaveLength(1);

    // Reconnecting stores a fresh page token (the connect flow's job); sending resumes with it.
    const fresh = env.sim.control.pageToken(env.pageId);
    expect(fresh).not.toBe(env.pageToken);
    await env.tokens.set(`page:${env.pageId}`, fresh);
    env.clock.advance(20 * min);
    await env.conversions.runOnce();
    expect(env.received()).toHaveLength(1);
    expect(env.conversions.handlers['conversions.getSettings']().health.state).toBe('ok');
  });

  it('with the opt-in, hashed email and phone are added as Meta normalises them', async () => {
    env.conversions.handlers['conversions.updateSettings']({ sendHashedContact: true, defaultCountry: 'US' });
    const leadId = env.lead({ email: ' John_Smith@gmail.com ', phone: '(650)555-1212' });
    env.setStatus([leadId], 'won');
    await env.conversions.runOnce();
    const [event] = env.received()[0]!.events;
    // Meta's documented examples (customer information parameters page).
    expect(event!.user_data).toEqual({
      lead_id: leadId,
      em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'],
      ph: ['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'],
    });
  });

  it('a rate limit waits as long as Meta says (usage header), then sends', async () => {
    const leadId = env.lead();
    env.sim.control.injectFault({ match: { path: `${env.datasetId}/events` }, error: { code: 80004 }, regainAccessMinutes: 3 });
    env.setStatus([leadId], 'qualified');
    await env.conversions.runOnce();
    const [waiting] = env.conversions.handlers['conversions.forLead']({ leadId }).events;
    expect(waiting).toMatchObject({ status: 'pending', nextAttemptAt: env.clock.now() + 3 * min });
    expect(env.conversions.handlers['conversions.getSettings']().health.state).toBe('retrying');
    env.clock.advance(3 * min);
    await env.conversions.runOnce();
    expect(env.received()).toHaveLength(1);
  });

  it('an event that waited past Meta\'s 7-day window is marked failed locally, never sent', async () => {
    const leadId = env.lead();
    env.setStatus([leadId], 'won');
    env.clock.advance(8 * 24 * 60 * min); // the app was closed for 8 days
    await env.conversions.runOnce();
    expect(env.sim.control.calls({ path: `${env.datasetId}/events` })).toHaveLength(0);
    expect(env.conversions.handlers['conversions.forLead']({ leadId }).events[0]).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/older than 7 days/),
    });
  });

  it('a dataset the token cannot use fails the events with Meta\'s message in one call, not one per event', async () => {
    const ids = [env.lead(), env.lead(), env.lead(), env.lead()];
    env.conversions.handlers['conversions.updateSettings']({ datasetId: '1900000000000999' });
    env.setStatus(ids, 'qualified');
    await env.conversions.runOnce();
    expect(env.sim.control.calls({ path: '1900000000000999/events' })).toHaveLength(1);
    const [ev] = env.conversions.handlers['conversions.forLead']({ leadId: ids[0]! }).events;
    expect(ev).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/does not exist/) });

    // The owner fixes the dataset id and retries: the same events go, once each.
    env.conversions.handlers['conversions.updateSettings']({ datasetId: env.datasetId });
    expect(env.conversions.handlers['conversions.retry']({})).toEqual({ requeued: 4 });
    await env.conversions.runOnce();
    expect(env.received().flatMap((b) => b.events)).toHaveLength(4);
  });

  it('a system-user token stored for the dataset is used instead of page tokens, and never shown', async () => {
    const systemUser = env.sim.control.createUser({ system: true });
    const ds = env.sim.control.createDataset({ userId: systemUser.id });
    const systemToken = env.sim.control.userToken(systemUser.id);
    env.conversions.handlers['conversions.updateSettings']({ datasetId: ds.id });
    expect(await env.conversions.handlers['conversions.systemToken']()).toEqual({ present: false });
    expect(await env.conversions.handlers['conversions.setSystemToken']({ token: systemToken })).toEqual({ present: true });
    expect(await env.tokens.get(`capi:${ds.id}`)).toBe(systemToken);
    const leadId = env.lead();
    env.setStatus([leadId], 'qualified');
    await env.conversions.runOnce();
    expect(env.received().map((b) => b.token)).toEqual([systemToken]);
    // Not in SQLite, not in anything the API answers.
    const dump = JSON.stringify(env.store.db.prepare('SELECT * FROM kv').all()) + JSON.stringify(env.store.db.prepare('SELECT * FROM capi_events').all());
    expect(dump).not.toContain(systemToken);
    expect(JSON.stringify(env.conversions.handlers['conversions.getSettings']())).not.toContain(systemToken);
    await env.conversions.handlers['conversions.setSystemToken']({ token: null });
    expect(await env.tokens.get(`capi:${ds.id}`)).toBeNull();
  });

  it('usage headers at 80% or more make the sender hold off before Meta throttles', async () => {
    env.sim.control.setUsage({ call_count: 85 });
    const first = env.lead();
    env.setStatus([first], 'qualified');
    await env.conversions.runOnce();
    expect(env.received()).toHaveLength(1); // sent, and the answer said "85% used"
    const second = env.lead();
    env.setStatus([second], 'qualified');
    await env.conversions.runOnce();
    expect(env.sim.control.calls({ path: `${env.datasetId}/events` })).toHaveLength(1);
    expect(env.conversions.handlers['conversions.getSettings']().health.state).toBe('retrying');
    env.sim.control.setUsage({ call_count: 10 });
    env.clock.advance(min);
    await env.conversions.runOnce();
    expect(env.received()).toHaveLength(2);
  });
});
