import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectAndEnable, startStack, waitFor, type Stack } from '../core/harness';

/**
 * The whole path: the simulator sends signed webhooks to the relay, the relay streams them to the
 * desktop core, the core stores and publishes them; replies go back through the Send API with the
 * page token the connect flow stored in the keychain.
 */
describe('conversations end to end (sim → relay → core)', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  it('backfills history when a page is enabled, then a live message, a reply and its echo show once', async () => {
    const c = stack.sim.control;
    const page = c.createPage({ name: 'Corner Café', instagram: true, subscribed: false });
    c.seedConversations(page.id, 4, 10);
    const events: string[] = [];
    stack.desktop.core.events.on('thread.updated', ({ threadId }) => events.push(threadId));
    await connectAndEnable(stack);
    const backfilled = await waitFor(async () => {
      const r = await stack.desktop.call('threads.list', {});
      return r.threads.length >= 4 ? r.threads : null;
    }, 'backfilled threads');
    expect(new Set(backfilled.map((t) => t.channel))).toEqual(new Set(['messenger', 'instagram']));
    expect(backfilled.every((t) => t.unreadCount === 0)).toBe(true); // history is not "new"

    const { psid } = c.inboundMessage({ pageId: page.id, text: 'Are you open on Sunday?' });
    const threadId = `messenger:${page.id}:${psid}`;
    const thread = await waitFor(async () => (await stack.desktop.call('threads.list', { unreadOnly: true })).threads.find((t) => t.id === threadId), 'the live message');
    expect(thread).toMatchObject({ unreadCount: 1, lastMessagePreview: 'Are you open on Sunday?' });
    expect(events).toContain(threadId);
    // Webhooks carry only the PSID: the name comes from the profile API, and the list updates.
    const person = stack.sim.context.state.persons.get(psid)!;
    await waitFor(async () => (await stack.desktop.call('threads.get', { threadId })).thread.title === `${person.firstName} ${person.lastName}`, 'the person\'s name');
    // The notification waited for the name from the profile API.
    const note = await waitFor(() => stack.desktop.notifications.find((n) => n.route === `thread/${threadId}`), 'the notification');
    expect(note).toMatchObject({ title: `${person.firstName} ${person.lastName} · Messenger`, body: 'Are you open on Sunday?' });

    const reply = await stack.desktop.call('threads.send', { threadId, text: 'Yes, 9 to 5!' });
    await waitFor(async () => {
      const d = await stack.desktop.call('threads.get', { threadId });
      return d.messages.find((m) => m.id === reply.id && m.status === 'sent');
    }, 'the reply to be sent');
    // Meta echoes our own reply. Once the relay holds the echo, a later message is a barrier: the
    // relay streams in order, so when that message shows, the echo has been processed too.
    await stack.sim.webhooksIdle();
    c.inboundMessage({ pageId: page.id, psid, text: 'Great, thanks' });
    const d = await waitFor(async () => {
      const r = await stack.desktop.call('threads.get', { threadId });
      return r.messages.some((m) => m.text === 'Great, thanks') ? r : null;
    }, 'the message after the echo');
    expect(d.messages.filter((m) => m.text === 'Yes, 9 to 5!')).toHaveLength(1);
    expect(c.sent().filter((s) => s.to === psid)).toHaveLength(1);

    // Instagram Direct through the same path: the IG account's webhook reaches the page's inbox.
    const ig = c.inboundMessage({ pageId: page.id, platform: 'instagram', text: 'Do you do oat lattes?' });
    const igThread = await waitFor(
      async () => (await stack.desktop.call('threads.list', { channel: 'instagram', unreadOnly: true })).threads.find((t) => t.id === `instagram:${page.id}:${ig.psid}`),
      'the Instagram message',
    );
    expect(igThread).toMatchObject({ lastMessagePreview: 'Do you do oat lattes?', accountId: page.id });
    await stack.desktop.call('threads.send', { threadId: igThread.id, text: 'Always!' });
    await waitFor(() => c.sent().find((s) => s.to === ig.psid && s.channel === 'instagram'), 'the Instagram reply at the Send API');
  });
});

describe('messages that reached the relay while the app was closed', () => {
  let stack: Stack;
  afterEach(async () => {
    await stack.close();
  });

  it('arrive as news, even when the start-up history run reads them before the relay replays them', async () => {
    stack = await startStack({ proxy: true });
    const c = stack.sim.control;
    const page = c.createPage({ name: 'Night Owl Bakery', subscribed: false });
    c.seedConversations(page.id, 2, 0);
    await connectAndEnable(stack);
    await waitFor(async () => (await stack.desktop.call('threads.list', {})).threads.length >= 2, 'the history');
    await waitFor(async () => {
      const s = await stack.desktop.call('connection.status');
      return s.state === 'connected' && s.backlog === 0;
    }, 'caught up with the relay');

    // Closed for the night; a customer writes meanwhile and the relay keeps the webhook.
    await stack.desktop.stop();
    const { psid } = c.inboundMessage({ pageId: page.id, text: 'Do you do wedding cakes?' });
    await stack.sim.webhooksIdle();
    // Next morning the relay is slow to answer, and the history run reads the Conversations API first.
    stack.proxy!.blackhole();
    const desktop = await stack.restartDesktop({ clock: { now: () => Date.now() + 10 * 3_600_000 } });
    await desktop.call('threads.backfill', {});
    const texts = () => desktop.core.db.prepare('SELECT text FROM messages').pluck().all();
    expect(texts()).not.toContain('Do you do wedding cakes?');

    stack.proxy!.restore();
    const threadId = `messenger:${page.id}:${psid}`;
    const thread = await waitFor(
      async () => (await desktop.call('threads.list', { unreadOnly: true })).threads.find((t) => t.id === threadId),
      'the message, replayed by the relay',
    );
    expect(thread).toMatchObject({ unreadCount: 1, lastMessagePreview: 'Do you do wedding cakes?' });
    const note = await waitFor(() => desktop.notifications.find((n) => n.route === `thread/${threadId}`), 'its notification');
    expect(note).toMatchObject({ body: 'Do you do wedding cakes?' });
    expect(texts().filter((t) => t === 'Do you do wedding cakes?')).toHaveLength(1);
  });

  it('still show up when the relay dropped them (past its retention): read from Meta once nothing is left to replay', async () => {
    const relayWarnings: string[] = [];
    const log = { info: () => {}, warn: (m: string) => void relayWarnings.push(m), error: () => {} };
    stack = await startStack({ relay: { retentionMs: 300, ackGraceMs: 100, log } });
    const c = stack.sim.control;
    const page = c.createPage({ name: 'Night Owl Bakery', subscribed: false });
    c.seedConversations(page.id, 2, 0);
    await connectAndEnable(stack);
    await waitFor(async () => (await stack.desktop.call('threads.list', {})).threads.length >= 2, 'the history');
    // One live message first, so the app holds a relay cursor to resume from.
    c.inboundMessage({ pageId: page.id, text: 'Hello?' });
    await waitFor(() => stack.desktop.core.db.prepare('SELECT 1 FROM messages WHERE text = ?').get('Hello?'), 'a live message');

    await stack.desktop.stop();
    const { psid } = c.inboundMessage({ pageId: page.id, text: 'Do you do wedding cakes?' });
    await stack.sim.webhooksIdle();
    await waitFor(() => relayWarnings.includes('retention dropped unacked events'), 'the relay to drop it');
    // The gap starts a catch-up sync, whose page updates run the history again; the relay counts
    // nothing still to come, so that run no longer leaves the message to a replay that never comes.
    const desktop = await stack.restartDesktop({ clock: { now: () => Date.now() + 10 * 3_600_000 } });
    const threadId = `messenger:${page.id}:${psid}`;
    const d = await waitFor(async () => {
      const r = await desktop.call('threads.get', { threadId }).catch(() => null);
      return r?.messages.some((m) => m.text === 'Do you do wedding cakes?') ? r : null;
    }, 'the dropped message, read from Meta after the gap');
    expect(d.messages.filter((m) => m.text === 'Do you do wedding cakes?')).toHaveLength(1);
  });
});
