import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../shared/index';
import { createHarness, echo, IG, messengerEntry, PAGE, removeDir, T0, userMessage, type Harness } from './harness';

const PSID = '7000000000000001';
const threadId = `messenger:${PAGE}:${PSID}`;

describe('Messenger and Instagram ingest', () => {
  let h: Harness;
  beforeEach(() => {
    h = createHarness();
    h.db.prepare(`INSERT INTO pages(id, name, enabled, instagram_id) VALUES (?, 'Bakery', 1, ?)`).run(PAGE, IG);
  });
  afterEach(async () => {
    await h.close();
    removeDir(h.dir);
  });

  it('stores text, attachments and stickers; the thread shows the newest as unread and notifies once per thread', async () => {
    h.feed('page', messengerEntry(userMessage(PSID, 'm_1', T0, { text: 'Hi, is the cake still available?' })));
    h.feed(
      'page',
      messengerEntry(
        userMessage(PSID, 'm_2', T0 + 1000, {
          attachments: [{ type: 'image', payload: { url: 'https://cdn.example/photo.jpg' } }],
        }),
      ),
    );
    // Sticker in the 2026 transition shape: type sticker plus its image twin.
    h.feed(
      'page',
      messengerEntry(
        userMessage(PSID, 'm_3', T0 + 2000, {
          attachments: [
            { type: 'sticker', payload: { url: 'https://cdn.example/s.png', sticker_id: 369239263222822 } },
            { type: 'image', payload: { url: 'https://cdn.example/s.png', sticker_id: 369239263222822 } },
          ],
        }),
      ),
    );
    await h.conv.settled(); // the first notification waits for a name lookup (no token here: none)
    const list = await h.call('threads.list', {});
    expect(list.threads).toHaveLength(1);
    expect(list.threads[0]).toMatchObject({ id: threadId, channel: 'messenger', accountName: 'Bakery', unreadCount: 3, lastMessagePreview: 'Sticker' });
    const detail = await h.call('threads.get', { threadId });
    expect(detail.messages.map((m) => [m.text, m.attachments.map((a) => a.type)])).toEqual([
      ['Hi, is the cake still available?', []],
      [null, ['image']],
      [null, ['sticker']],
    ]);
    expect(detail.messages[1]!.attachments[0]).toMatchObject({ hasMedia: true });
    expect(JSON.stringify(detail)).not.toContain('cdn.example'); // the renderer never gets a remote URL
    expect(new Set(h.notifications.map((n) => n.tag))).toEqual(new Set([`thread:${threadId}`]));
    // Coalesced: each notification replaces the last one of this thread and shows the newest message.
    expect(h.notifications.at(-1)).toMatchObject({ body: 'Sticker', route: `thread/${threadId}` });
    expect(detail.window).toMatchObject({ state: 'open', expiresAt: T0 + 2000 + 24 * 3600_000 });
  });

  it('follows the notification settings: previews hidden, nothing during quiet hours', async () => {
    let settings: Settings = { ...defaultSettings, notifications: { ...defaultSettings.notifications, previews: false } };
    const q = createHarness({ settings: () => settings });
    try {
      q.feed('page', messengerEntry(userMessage(PSID, 'm_priv', T0, { text: 'my secret address' })));
      await q.conv.settled();
      expect(q.notifications).toEqual([expect.objectContaining({ body: 'New message' })]);
      expect(JSON.stringify(q.eventsOf('notification.requested'))).not.toContain('secret');
      // Quiet hours covering the whole day (local time).
      settings = { ...settings, notifications: { ...settings.notifications, quietHours: { enabled: true, start: '00:00', end: '23:59' } } };
      q.clock.t = new Date(2026, 10, 20, 12, 0).getTime();
      q.feed('page', messengerEntry(userMessage(PSID, 'm_quiet', q.clock.t, { text: 'hello?' })));
      await q.conv.settled();
      expect(q.notifications).toHaveLength(1);
      expect((await q.call('threads.get', { threadId })).thread.unreadCount).toBe(2); // stored and counted all the same
    } finally {
      await q.close();
      removeDir(q.dir);
    }
  });

  it('handles every event of a delivery, not only the first, and ignores duplicates', async () => {
    const entry = {
      id: PAGE,
      time: T0,
      messaging: [userMessage(PSID, 'm_a', T0, { text: 'one' }), userMessage(PSID, 'm_b', T0 + 1, { text: 'two' })],
      standby: [userMessage(PSID, 'm_c', T0 + 2, { text: 'three (standby)' })],
    };
    h.feed('page', entry);
    h.feed('page', entry); // Meta retries; the relay may redeliver
    const detail = await h.call('threads.get', { threadId });
    expect(detail.messages.map((m) => m.text)).toEqual(['one', 'two', 'three (standby)']);
    expect(detail.thread.unreadCount).toBe(3);
    expect(h.eventsOf('message.updated')).toHaveLength(3);
  });

  it('echoes show as replies sent elsewhere; reads and deliveries move statuses forward only', async () => {
    h.feed('page', messengerEntry(userMessage(PSID, 'm_in', T0, { text: 'Price?' })));
    h.feed('page', messengerEntry(echo(PSID, 'm_out1', T0 + 10_000, '20 EUR')));
    h.feed('page', messengerEntry(echo(PSID, 'm_out2', T0 + 20_000, 'Want one?')));
    h.feed('page', messengerEntry(echo(PSID, 'm_out2', T0 + 20_000, 'Want one?'))); // duplicate echo
    // Read up to the first reply arrives before the (late) delivery of both.
    h.feed('page', messengerEntry({ sender: { id: PSID }, recipient: { id: PAGE }, timestamp: T0 + 30_000, read: { watermark: T0 + 10_000 } }));
    h.feed(
      'page',
      messengerEntry({ sender: { id: PSID }, recipient: { id: PAGE }, timestamp: T0 + 31_000, delivery: { mids: ['m_out1'], watermark: T0 + 20_000 } }),
    );
    const { messages, thread } = await h.call('threads.get', { threadId });
    expect(messages.map((m) => [m.direction, m.text, m.status, m.fromElsewhere])).toEqual([
      ['in', 'Price?', 'received', false],
      ['out', '20 EUR', 'read', true],
      ['out', 'Want one?', 'delivered', true],
    ]);
    expect(thread).toMatchObject({ lastDirection: 'out', lastMessagePreview: 'You: Want one?', unreadCount: 1 });
    await h.conv.settled();
    expect(h.notifications).toHaveLength(1); // echoes never notify
    // An echo arriving after the read watermark is read at once.
    h.feed('page', messengerEntry(echo(PSID, 'm_out0', T0 + 5_000, 'late echo')));
    const again = await h.call('threads.get', { threadId });
    expect(again.messages.find((m) => m.metaId === 'm_out0')?.status).toBe('read');
  });

  it('postbacks, reactions (react / unreact) and ad referrals', async () => {
    h.feed('page', messengerEntry(userMessage(PSID, 'm_q', T0, { text: 'Hello' })));
    h.feed('page', messengerEntry({ sender: { id: PSID }, recipient: { id: PAGE }, timestamp: T0 + 1, postback: { title: 'Get Started', payload: 'GET_STARTED', mid: 'm_pb' } }));
    h.feed('page', messengerEntry({ sender: { id: PSID }, recipient: { id: PAGE }, timestamp: T0 + 2, reaction: { mid: 'm_q', action: 'react', reaction: 'love', emoji: '❤️' } }));
    h.feed('page', messengerEntry({ sender: { id: PSID }, recipient: { id: PAGE }, timestamp: T0 + 3, referral: { ref: 'spring', source: 'ADS', type: 'OPEN_THREAD', ad_id: '6000000000001' } }));
    let d = await h.call('threads.get', { threadId });
    expect(d.messages.map((m) => [m.kind, m.text])).toEqual([
      ['text', 'Hello'],
      ['postback', 'Get Started'],
      ['referral', 'Came from ad 6000000000001 (ref spring)'],
    ]);
    expect(d.messages[0]!.reactions).toEqual([{ by: 'contact', emoji: '❤️' }]);
    h.feed('page', messengerEntry({ sender: { id: PSID }, recipient: { id: PAGE }, timestamp: T0 + 4, reaction: { mid: 'm_q', action: 'unreact', reaction: 'love' } }));
    d = await h.call('threads.get', { threadId });
    expect(d.messages[0]!.reactions).toEqual([]);
  });

  it('Instagram Direct: IGSID threads belong to the page that owns the IG account', async () => {
    const IGSID = '8800000000000001';
    h.feed('instagram', { id: IG, time: T0, messaging: [{ sender: { id: IGSID }, recipient: { id: IG }, timestamp: T0, message: { mid: 'ig_1', text: 'Do you ship?' } }] });
    h.feed('instagram', { id: IG, time: T0, messaging: [{ sender: { id: IG }, recipient: { id: IGSID }, timestamp: T0 + 1, message: { mid: 'ig_2', is_echo: true, text: 'Yes!' } }] });
    const list = await h.call('threads.list', { channel: 'instagram' });
    expect(list.threads).toEqual([
      expect.objectContaining({ id: `instagram:${PAGE}:${IGSID}`, channel: 'instagram', accountId: PAGE, unreadCount: 1 }),
    ]);
    expect((await h.call('threads.list', { channel: 'messenger' })).threads).toEqual([]);
    expect((await h.call('threads.unreadCounts', {}))).toEqual({ total: 1, messenger: 0, instagram: 1, whatsapp: 0, threads: 1 });
    // Instagram's read event names the last message read instead of a watermark.
    h.feed('instagram', { id: IG, time: T0, messaging: [{ sender: { id: IGSID }, recipient: { id: IG }, timestamp: T0 + 5, read: { mid: 'ig_2' } }] });
    const d = await h.call('threads.get', { threadId: `instagram:${PAGE}:${IGSID}` });
    expect(d.messages.map((m) => [m.text, m.status])).toEqual([
      ['Do you ship?', 'received'],
      ['Yes!', 'read'],
    ]);
  });

  it('a malformed entry is rejected whole and changes nothing; a leadgen-only page entry is not ours', async () => {
    h.feed('page', { id: PAGE, time: T0, messaging: [userMessage(PSID, 'm_ok', T0, { text: 'x' }), { sender: { id: PSID }, recipient: { id: PAGE }, message: { text: 'no mid' } }] });
    h.feed('page', { id: PAGE, time: T0, messaging: 'nope' });
    h.feed('page', { id: PAGE, time: T0, changes: [{ field: 'leadgen', value: { leadgen_id: '1', page_id: PAGE } }] });
    expect(h.db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
    expect(h.db.prepare('SELECT count(*) AS n FROM threads').get()).toEqual({ n: 0 });
    expect(h.warnings.filter((w) => w.includes('entry rejected'))).toHaveLength(2);
  });

  it('markRead clears unread and publishes the new counts; the list pages with a cursor', async () => {
    for (let i = 0; i < 5; i++) {
      h.feed('page', messengerEntry(userMessage(`70000000000001${i}`, `m_p${i}`, T0 + i, { text: `hi ${i}` })));
    }
    const first = await h.call('threads.list', { limit: 2 });
    const second = await h.call('threads.list', { limit: 2, before: first.nextCursor! });
    const third = await h.call('threads.list', { limit: 2, before: second.nextCursor! });
    expect([...first.threads, ...second.threads, ...third.threads].map((t) => t.lastMessagePreview)).toEqual([
      'hi 4', 'hi 3', 'hi 2', 'hi 1', 'hi 0',
    ]);
    expect(third.nextCursor).toBeNull();
    await h.call('threads.markRead', { threadId: first.threads[0]!.id });
    expect((await h.call('threads.list', { unreadOnly: true })).threads).toHaveLength(4);
    expect(h.eventsOf('threads.unreadChanged').at(-1)).toMatchObject({ total: 4, messenger: 4 });
  });
});
