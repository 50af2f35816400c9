import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimLink, type SimLink } from './simLink';

describe('Messenger / Instagram backfill from the Conversations API', () => {
  let link: SimLink;
  let pageId: string;
  beforeEach(async () => {
    link = await createSimLink();
    const page = link.sim.control.createPage({ name: 'Harbour Gym', instagram: true });
    pageId = page.id;
    await link.h.tokens.set(`page:${page.id}`, page.accessToken);
    link.h.db.prepare(`INSERT INTO pages(id, name, enabled, instagram_id) VALUES (?, ?, 1, ?)`).run(page.id, page.name, page.instagramId);
  });
  afterEach(() => link.close());

  it('pages through every conversation of both platforms once, as read history, and resumes from its cursor', async () => {
    // 60 threads: more than two pages of 25, a third of them on Instagram.
    link.sim.control.seedConversations(pageId, 60, 20);
    const first = await link.h.call('threads.backfill', {});
    expect(first.errors).toEqual([]);
    expect(first.threads).toBe(60);
    const all = (await link.h.call('threads.list', { limit: 200 })).threads;
    expect(all).toHaveLength(60);
    expect(all.filter((t) => t.channel === 'instagram')).toHaveLength(20);
    expect(all.every((t) => t.unreadCount === 0)).toBe(true);
    expect(all.every((t) => t.title && !t.title.includes(' user '))).toBe(true); // names from participants
    expect(link.h.notifications).toEqual([]); // history never notifies
    const stored = (link.h.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    expect(first.messages).toBe(stored);
    // A conversation's own replies are ours (out), the person's are in; the reply window follows the last inbound.
    const conv = [...link.sim.context.state.conversations.values()].find((c) => c.platform === 'messenger')!;
    const d = await link.h.call('threads.get', { threadId: `messenger:${pageId}:${conv.personId}` });
    const expected = [...conv.messages].sort((a, b) => a.createdTime - b.createdTime).slice(-20);
    expect(d.messages.map((m) => [m.direction, m.text])).toEqual(expected.map((m) => [m.fromPage ? 'out' : 'in', m.text]));

    // Nothing changed: the second run stops at the cursor and writes nothing.
    const second = await link.h.call('threads.backfill', {});
    expect(second).toEqual({ threads: 0, messages: 0, errors: [] });
    // One person writes again in the page inbox (no webhook): only that thread is read again.
    const person = link.sim.context.state.persons.get(conv.personId)!;
    link.sim.control.advanceTime(60_000);
    link.sim.control.addMessage(person, false, 'Still open tomorrow?');
    // Sent in the second this run starts: the webhook's to deliver as news, so the run leaves it.
    const same = await link.h.call('threads.backfill', {});
    expect(same.messages).toBe(0);
    // A minute later its webhook may still be on its way (a slow relay, a replay): still left.
    link.sim.control.advanceTime(60_000);
    expect((await link.h.call('threads.backfill', {})).messages).toBe(0);
    // Past the grace its webhook is not coming: a later run finds it (the cursor stayed before it).
    link.sim.control.advanceTime(65_000);
    const third = await link.h.call('threads.backfill', {});
    expect(third).toMatchObject({ threads: 1, messages: 1 });
  });

  it('leaves what reached the relay while the app was away to the relay’s replay, so it still arrives as news', async () => {
    link.sim.control.seedConversations(pageId, 3, 0);
    await link.h.call('threads.backfill', {});
    // The app was last caught up with the relay here, then closed for the night.
    link.deliveredUntil = link.sim.control.nowMs();
    link.sim.control.advanceTime(60 * 60_000);
    const { psid } = link.sim.control.inboundMessage({ pageId, text: 'Can I book for tomorrow 9am?' });
    link.sim.control.advanceTime(9 * 60 * 60_000);
    // Next morning the app starts, and its history run reads the Conversations API before the
    // relay has replayed anything (the relay is slow to wake, or the network is still coming up).
    await link.h.call('threads.backfill', {});
    expect(link.h.db.prepare('SELECT text FROM messages').pluck().all()).not.toContain(
      'Can I book for tomorrow 9am?',
    );
    // The replay delivers it: unread and notified, not filed away as read history.
    await link.pump();
    const thread = await link.h.call('threads.get', { threadId: `messenger:${pageId}:${psid}` });
    expect(thread.messages.at(-1)?.text).toBe('Can I book for tomorrow 9am?');
    expect(thread.thread.unreadCount).toBe(1);
    expect(link.h.notifications.map((n) => n.body)).toEqual(['Can I book for tomorrow 9am?']);
  });

  it('leaves a message sent after the page was subscribed to its webhook, however late the run starts', async () => {
    link.sim.control.seedConversations(pageId, 3, 0);
    const person = [...link.sim.context.state.persons.values()][0]!;
    const subscribedAt = link.sim.control.nowMs();
    link.h.db.prepare('UPDATE pages SET subscribed_at = ? WHERE id = ?').run(subscribedAt, pageId);
    link.sim.control.advanceTime(1_000);
    link.sim.control.addMessage(person, false, 'Are you open on Sunday?');
    // The run starts well after the message (the backfill waits for other work): it is still news.
    link.sim.control.advanceTime(30_000);
    await link.h.call('threads.backfill', {});
    const texts = link.h.db.prepare('SELECT text FROM messages').pluck().all();
    expect(texts).not.toContain('Are you open on Sunday?');
    expect(texts.length).toBeGreaterThan(0); // the history from before the subscription is stored
  });
});
