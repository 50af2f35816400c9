import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimLink, type SimLink } from './simLink';

const HOUR = 3_600_000;

/** Replies through the simulator's Send API / Cloud API: windows, templates, failures, restarts. */
describe('replies', () => {
  let link: SimLink;
  let pageId: string;
  let phoneId: string;
  beforeEach(async () => {
    link = await createSimLink();
    const c = link.sim.control;
    const page = c.createPage({ name: 'Sunny Bakery', instagram: true });
    pageId = page.id;
    await link.h.tokens.set(`page:${page.id}`, page.accessToken);
    link.h.db.prepare(`INSERT INTO pages(id, name, enabled, instagram_id) VALUES (?, ?, 1, ?)`).run(page.id, page.name, page.instagramId);
    phoneId = await link.connectWhatsApp();
  });
  afterEach(() => link.close());

  const drain = () => link.h.conv.outbox.drain();
  /** WhatsApp threads are keyed on the BSUID when Meta sends one, so look the thread up by list. */
  const waThread = async () => (await link.h.call('threads.list', { channel: 'whatsapp' })).threads[0]!.id;

  it('Messenger: RESPONSE inside 24 h, HUMAN_AGENT tag up to 7 days, refused after', async () => {
    const { psid } = link.sim.control.inboundMessage({ pageId, text: 'Do you deliver?' });
    await link.pump();
    const threadId = `messenger:${pageId}:${psid}`;
    const sending = await link.h.call('threads.send', { threadId, text: 'Yes, every day!' });
    expect(sending).toMatchObject({ status: 'sending', direction: 'out', text: 'Yes, every day!' });
    await drain();
    await link.pump(); // the echo of our own reply must not duplicate it
    let d = await link.h.call('threads.get', { threadId });
    expect(d.messages.map((m) => [m.text, m.status])).toEqual([
      ['Do you deliver?', 'received'],
      ['Yes, every day!', 'sent'],
    ]);
    expect(link.sim.control.sent().at(-1)!.body).toMatchObject({ messaging_type: 'RESPONSE', message: { text: 'Yes, every day!' } });

    link.sim.control.advanceTime(30 * HOUR);
    d = await link.h.call('threads.get', { threadId });
    expect(d.window.state).toBe('tag');
    await link.h.call('threads.send', { threadId, text: 'Following up on your question' });
    await drain();
    expect(link.sim.control.sent().at(-1)!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

    link.sim.control.advanceTime(7 * 24 * HOUR);
    await expect(link.h.call('threads.send', { threadId, text: 'too late' })).rejects.toMatchObject({ code: 'not_allowed', message: expect.stringMatching(/7 days/) });
    expect(link.sim.control.sent()).toHaveLength(2);
  });

  it('Messenger: a reply Meta refuses shows its error, and retry sends it once the cause is gone', async () => {
    const { psid } = link.sim.control.inboundMessage({ pageId });
    await link.pump();
    const threadId = `messenger:${pageId}:${psid}`;
    link.sim.control.injectFault({ match: { path: `${pageId}/messages` }, error: { code: 551, message: 'This person isn\'t available right now.' } });
    const m = await link.h.call('threads.send', { threadId, text: 'Hello?' });
    await drain();
    let d = await link.h.call('threads.get', { threadId });
    const failed = d.messages.find((x) => x.id === m.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/not available/);
    expect(link.h.eventsOf('message.updated').some((e) => e.message.id === m.id && e.message.status === 'failed')).toBe(true);
    await link.h.call('threads.retry', { messageId: m.id });
    await drain();
    d = await link.h.call('threads.get', { threadId });
    expect(d.messages.find((x) => x.id === m.id)).toMatchObject({ status: 'sent', error: null });
    expect(link.sim.control.sent().filter((s) => (s.body as { message: { text: string } }).message.text === 'Hello?')).toHaveLength(1);
    await expect(link.h.call('threads.retry', { messageId: m.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a reply whose Send API answer was lost (timeout) is not sent again once Meta\'s echo shows it went', async () => {
    const { psid } = link.sim.control.inboundMessage({ pageId });
    await link.pump();
    const threadId = `messenger:${pageId}:${psid}`;
    // Meta takes longer than our 5 s timeout, then accepts the reply and echoes it.
    link.sim.control.injectFault({ match: { path: `${pageId}/messages` }, error: { delayMs: 5_500 }, count: 1 });
    const m = await link.h.call('threads.send', { threadId, text: 'Slow network today' });
    await drain();
    expect(link.h.db.prepare('SELECT attempts FROM outbox WHERE message_id = ?').get(Number(m.id))).toEqual({ attempts: 1 });
    const mine = async () => (await link.h.call('threads.get', { threadId })).messages.filter((x) => x.text === 'Slow network today');
    await link.settleUntil('the echo to mark the queued reply sent', async () => (await mine())[0]?.status === 'sent');
    link.sim.control.advanceTime(15 * 60_000 + 1); // past any retry backoff
    await drain();
    expect(link.sim.control.sent().filter((s) => (s.body as { message: { text: string } }).message.text === 'Slow network today')).toHaveLength(1);
    expect(await mine()).toEqual([expect.objectContaining({ id: m.id, status: 'sent', metaId: link.sim.control.sent().at(-1)!.id })]);
  }, 20_000);

  it('transient errors retry by themselves without the owner', async () => {
    const { psid } = link.sim.control.inboundMessage({ pageId });
    await link.pump();
    link.sim.control.injectFault({ match: { path: `${pageId}/messages` }, error: { status: 503 } });
    const threadId = `messenger:${pageId}:${psid}`;
    const m = await link.h.call('threads.send', { threadId, text: 'Are you there?' });
    await link.h.call('threads.send', { threadId, text: 'Second line' });
    await drain();
    expect(link.h.db.prepare('SELECT attempts, last_error FROM outbox WHERE message_id = ?').get(Number(m.id))).toMatchObject({ attempts: 1 });
    expect(link.sim.control.sent()).toHaveLength(0); // the second waits for the first: order is kept
    link.sim.control.advanceTime(15 * 60_000 + 1); // past the longest backoff
    await drain();
    expect((await link.h.call('threads.get', { threadId })).messages.slice(-2).map((x) => [x.text, x.status])).toEqual([
      ['Are you there?', 'sent'],
      ['Second line', 'sent'],
    ]);
    expect(link.sim.control.sent().map((s) => (s.body as { message: { text: string } }).message.text)).toEqual(['Are you there?', 'Second line']);
  });

  it('a throttled reply (WhatsApp pair rate 131056) waits at least a minute, then goes once (meta-platform.md §5, §6)', async () => {
    link.sim.control.whatsappInbound({ phoneNumberId: phoneId, text: 'Hi' });
    await link.pump();
    const threadId = await waThread();
    const path = `${phoneId}/messages`;
    link.sim.control.injectFault({ match: { path }, error: { code: 131056, message: '(#131056) (Business Account, Consumer Account) pair rate limit hit' } });
    const m = await link.h.call('threads.send', { threadId, text: 'One moment please' });
    await drain();
    expect(link.sim.control.calls({ path })).toHaveLength(1);
    link.sim.control.advanceTime(40_000);
    await drain(); // still inside the throttle wait: no call
    expect(link.sim.control.calls({ path })).toHaveLength(1);
    expect((await link.h.call('threads.get', { threadId })).messages.at(-1)).toMatchObject({ id: m.id, status: 'sending' });
    link.sim.control.advanceTime(15 * 60_000);
    await drain();
    expect((await link.h.call('threads.get', { threadId })).messages.at(-1)).toMatchObject({ id: m.id, status: 'sent' });
    expect(link.sim.control.sent()).toHaveLength(1);
  });

  it('WhatsApp: free text inside 24 h; outside only a template, with its parameters', async () => {
    const { waId } = link.sim.control.whatsappInbound({ phoneNumberId: phoneId, name: 'Ana Lima', text: 'Is the flat free?' });
    await link.pump();
    const threadId = await waThread();
    await link.h.call('threads.send', { threadId, text: 'Yes, from May.' });
    await drain();
    const lastStatus = async () => (await link.h.call('threads.get', { threadId })).messages.at(-1)?.status;
    await link.settleUntil('the delivered status', async () => (await lastStatus()) === 'delivered');
    let d = await link.h.call('threads.get', { threadId });
    expect(d.messages.at(-1)).toMatchObject({ text: 'Yes, from May.', status: 'delivered' });

    link.sim.control.advanceTime(25 * HOUR);
    d = await link.h.call('threads.get', { threadId });
    expect(d.window).toMatchObject({ state: 'template', reason: expect.stringMatching(/approved template/) });
    await expect(link.h.call('threads.send', { threadId, text: 'free text' })).rejects.toMatchObject({ code: 'not_allowed' });
    const { templates } = await link.h.call('threads.templates', { threadId });
    expect(templates.map((t) => `${t.name}:${t.bodyParams}`)).toEqual(['hello_world:0', 'lead_follow_up:2', 'seguimiento:1']);
    await expect(
      link.h.call('threads.send', { threadId, template: { name: 'lead_follow_up', language: 'en_US', bodyParams: ['Ana'] } }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    const m = await link.h.call('threads.send', { threadId, template: { name: 'lead_follow_up', language: 'en_US', bodyParams: ['Ana', 'the flat'] } });
    expect(m.text).toBe('Hi Ana, thanks for your interest in the flat. When is a good time to call?');
    await drain();
    await link.settleUntil('the template\'s delivered status', async () => (await lastStatus()) === 'delivered');
    expect(link.sim.control.sent().at(-1)!.body).toMatchObject({
      type: 'template',
      to: waId,
      template: { name: 'lead_follow_up', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'the flat' }] }] },
    });
    expect((await link.h.call('threads.get', { threadId })).messages.at(-1)).toMatchObject({ kind: 'template', status: 'delivered' });
  });

  it('WhatsApp: when Meta answers 131047 although our clock says the window is open, the composer switches to templates', async () => {
    // The owner's computer runs 2 hours behind: locally the window looks open after 25 h.
    link.h.clock.now = () => link.sim.control.nowMs() - 2 * HOUR;
    const { waId } = link.sim.control.whatsappInbound({ phoneNumberId: phoneId, text: 'Still available?' });
    await link.pump();
    const threadId = await waThread();
    link.sim.control.advanceTime(25 * HOUR);
    expect((await link.h.call('threads.get', { threadId })).window.state).toBe('open');
    const m = await link.h.call('threads.send', { threadId, text: 'Yes it is' });
    await drain();
    let d = await link.h.call('threads.get', { threadId });
    expect(d.messages.find((x) => x.id === m.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/approved template.*131047/) });
    expect(d.window).toMatchObject({ state: 'template', reason: expect.stringMatching(/WhatsApp says/) });
    await expect(link.h.call('threads.send', { threadId, text: 'again' })).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(link.h.call('threads.retry', { messageId: m.id })).rejects.toMatchObject({ code: 'not_allowed' });

    // The person writes again: free text is allowed once more.
    link.sim.control.whatsappInbound({ phoneNumberId: phoneId, from: waId, text: 'Hello?' });
    await link.pump();
    d = await link.h.call('threads.get', { threadId });
    expect(d.window.state).toBe('open');
  });

  it('WhatsApp: statuses never move backwards, and a failed status shows Meta\'s error', async () => {
    link.sim.context.settings.whatsappAutoStatuses = false;
    link.sim.control.whatsappInbound({ phoneNumberId: phoneId });
    await link.pump();
    const threadId = await waThread();
    const a = await link.h.call('threads.send', { threadId, text: 'first' });
    const b = await link.h.call('threads.send', { threadId, text: 'second' });
    await drain();
    const wamid = (id: string) => (link.h.db.prepare('SELECT meta_id FROM messages WHERE id = ?').get(Number(id)) as { meta_id: string }).meta_id;
    // Out of order: read, then the late sent and delivered.
    link.sim.control.whatsappStatus({ wamid: wamid(a.id), status: 'read' });
    link.sim.control.whatsappStatus({ wamid: wamid(a.id), status: 'sent' });
    link.sim.control.whatsappStatus({ wamid: wamid(a.id), status: 'delivered' });
    link.sim.control.whatsappStatus({ wamid: wamid(b.id), status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable', details: 'Receiver is incapable of receiving this message' }] });
    await link.pump();
    const d = await link.h.call('threads.get', { threadId });
    expect(d.messages.slice(1).map((m) => [m.text, m.status])).toEqual([
      ['first', 'read'],
      ['second', 'failed'],
    ]);
    expect(d.messages[2]!.error).toMatch(/Message undeliverable.*Receiver is incapable.*131026/);
  });

  it('a reply typed while offline survives closing the app and is sent exactly once after restart', async () => {
    const { psid } = link.sim.control.inboundMessage({ pageId });
    await link.pump();
    const threadId = `messenger:${pageId}:${psid}`;
    // The worker never started: the app closes with the reply still queued.
    const m = await link.h.call('threads.send', { threadId, text: 'Typed just before closing' });
    expect(link.sim.control.sent()).toHaveLength(0);
    await link.reopen();
    expect((await link.h.call('threads.get', { threadId })).messages.at(-1)).toMatchObject({ id: m.id, status: 'sending' });
    await link.h.conv.start();
    await drain();
    await link.reopen(); // a second restart must not send it again
    await link.h.conv.start();
    await drain();
    expect(link.sim.control.sent().map((s) => (s.body as { message: { text: string } }).message.text)).toEqual(['Typed just before closing']);
    expect((await link.h.call('threads.get', { threadId })).messages.at(-1)).toMatchObject({ id: m.id, status: 'sent' });
  });

  it('WhatsApp: marks messages read when the owner opens the thread (setting), not when it is off', async () => {
    const { waId } = link.sim.control.whatsappInbound({ phoneNumberId: phoneId });
    await link.pump();
    const threadId = await waThread();
    await link.h.call('threads.markRead', { threadId });
    await link.h.conv.settled(); // the read receipt goes out after markRead answered
    const reads = () => link.sim.control.calls({ path: `${phoneId}/messages`, method: 'POST' }).length;
    expect(reads()).toBe(1);
    expect(link.sim.control.sent()).toHaveLength(0); // a read receipt is not a message
    await link.h.call('threads.updateSettings', { markReadOnOpen: false });
    link.sim.control.whatsappInbound({ phoneNumberId: phoneId, from: waId });
    await link.pump();
    await link.h.call('threads.markRead', { threadId });
    await link.h.conv.settled(); // the read receipt goes out after markRead answered
    expect(reads()).toBe(1);
    expect((await link.h.call('threads.get', { threadId })).thread.unreadCount).toBe(0);
  });
});
