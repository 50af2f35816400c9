import { getLeadRow } from '../../main/core/store/leads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, insertLead, PHONE_ID, removeDir, T0, waEntry, waMessage, waValue, type Harness } from './harness';

const WA = '491511234567';
const contact = { profile: { name: 'Jürgen Ü' }, wa_id: WA };

describe('WhatsApp ingest', () => {
  let h: Harness;
  beforeEach(() => {
    h = createHarness();
  });
  afterEach(async () => {
    await h.close();
    removeDir(h.dir);
  });

  it('stores every inbound type Meta sends, with the contact name, in one delivery', async () => {
    const t = (i: number) => T0 + i * 1000;
    const messages = [
      waMessage(WA, 'wamid.text', t(0), 'text', { text: { body: 'Hallo!' } }),
      waMessage(WA, 'wamid.image', t(1), 'image', { image: { id: 'media-img', mime_type: 'image/jpeg', sha256: 'x', caption: 'the kitchen' } }),
      waMessage(WA, 'wamid.audio', t(2), 'audio', { audio: { id: 'media-aud', mime_type: 'audio/ogg', voice: true } }),
      waMessage(WA, 'wamid.video', t(3), 'video', { video: { id: 'media-vid', mime_type: 'video/mp4' } }),
      waMessage(WA, 'wamid.doc', t(4), 'document', { document: { id: 'media-doc', mime_type: 'application/pdf', filename: 'quote.pdf' } }),
      waMessage(WA, 'wamid.sticker', t(5), 'sticker', { sticker: { id: 'media-stk', mime_type: 'image/webp', animated: false } }),
      waMessage(WA, 'wamid.loc', t(6), 'location', { location: { latitude: 52.52, longitude: 13.405, name: 'Shop', address: 'Main St 1' } }),
      waMessage(WA, 'wamid.contacts', t(7), 'contacts', { contacts: [{ name: { formatted_name: 'Anna B' }, phones: [{ phone: '+49 30 123' }] }] }),
      waMessage(WA, 'wamid.button', t(8), 'button', { button: { text: 'Yes please', payload: 'YES' }, context: { id: 'wamid.tpl' } }),
      waMessage(WA, 'wamid.btnreply', t(9), 'interactive', { interactive: { type: 'button_reply', button_reply: { id: 'b1', title: 'Tomorrow' } } }),
      waMessage(WA, 'wamid.listreply', t(10), 'interactive', { interactive: { type: 'list_reply', list_reply: { id: 'l1', title: 'Large', description: '12 pieces' } } }),
      waMessage(WA, 'wamid.unsup', t(11), 'unsupported', { errors: [{ code: 131051, title: 'Message type unknown' }] }),
      waMessage(WA, 'wamid.react', t(12), 'reaction', { reaction: { message_id: 'wamid.text', emoji: '👍' } }),
    ];
    h.feed('whatsapp', waEntry(waValue({ contacts: [contact], messages })));
    const threadId = `whatsapp:${PHONE_ID}:${WA}`;
    const d = await h.call('threads.get', { threadId, limit: 50 });
    expect(d.thread).toMatchObject({ title: 'Jürgen Ü', handle: '+491511234567', accountName: '15550001111', unreadCount: 12 });
    expect(d.messages.map((m) => [m.kind, m.text, m.attachments.map((a) => `${a.type}:${a.title ?? ''}:${a.detail ?? ''}`)])).toEqual([
      ['text', 'Hallo!', []],
      ['media', 'the kitchen', ['image::']],
      ['media', null, ['audio::Voice message']],
      ['media', null, ['video::']],
      ['media', null, ['file:quote.pdf:']],
      ['media', null, ['sticker::']],
      ['location', 'Shop, Main St 1', ['location:Shop, Main St 1:52.52, 13.405']],
      ['contacts', null, ['contacts:Anna B:+49 30 123']],
      ['button', 'Yes please', []],
      ['interactive', 'Tomorrow', []],
      ['interactive', 'Large — 12 pieces', []],
      ['unsupported', expect.stringContaining('not supported'), []],
    ]);
    expect(d.messages[8]!.replyToMetaId).toBe('wamid.tpl');
    expect(d.messages[0]!.reactions).toEqual([{ by: 'contact', emoji: '👍' }]);
    expect(d.messages.every((m) => m.attachments.every((a) => a.type === 'location' || a.type === 'contacts' || a.hasMedia))).toBe(true);
    expect(d.historyNote).toMatch(/no message history API/);
    expect(h.notifications).toHaveLength(1);
    expect(h.notifications[0]).toMatchObject({ tag: `thread:${threadId}`, title: 'Jürgen Ü · WhatsApp' });
    expect(h.notifications[0]!.body).toMatch(/^12 new messages/);
  });

  it('processes every change and every message of an entry, and a replayed delivery adds nothing', async () => {
    const entry = waEntry(
      waValue({ contacts: [contact], messages: [waMessage(WA, 'wamid.a', T0, 'text', { text: { body: 'a' } }), waMessage(WA, 'wamid.b', T0 + 1000, 'text', { text: { body: 'b' } })] }),
      waValue({ contacts: [contact], messages: [waMessage(WA, 'wamid.c', T0 + 2000, 'text', { text: { body: 'c' } })] }),
    );
    h.feed('whatsapp', entry);
    h.feed('whatsapp', entry);
    const rows = h.db.prepare('SELECT text FROM messages ORDER BY sent_at').all();
    expect(rows).toEqual([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
    expect((await h.call('threads.unreadCounts', {})).whatsapp).toBe(3);
  });

  it('keys the contact on the business-scoped user id, with wa_id as fallback, keeping one thread', async () => {
    const BSUID = 'DE.1500000000000001';
    h.feed('whatsapp', waEntry(waValue({ contacts: [contact], messages: [waMessage(WA, 'wamid.1', T0, 'text', { text: { body: 'first, phone only' } })] })));
    h.feed('whatsapp', waEntry(waValue({ contacts: [{ ...contact, user_id: BSUID }], messages: [waMessage(WA, 'wamid.2', T0 + 1000, 'text', { text: { body: 'now with BSUID' } })] })));
    // A user with a username: no phone / wa_id at all.
    h.feed('whatsapp', waEntry(waValue({ contacts: [{ profile: { name: 'Jürgen' }, user_id: BSUID }], messages: [{ from_user_id: BSUID, id: 'wamid.3', timestamp: String(T0 / 1000 + 2), type: 'text', text: { body: 'username only' } }] })));
    const list = await h.call('threads.list', {});
    expect(list.threads).toHaveLength(1);
    expect(list.threads[0]).toMatchObject({ title: 'Jürgen', unreadCount: 3, lastMessagePreview: 'username only' });
    expect(h.db.prepare('SELECT count(*) AS n FROM contacts').get()).toEqual({ n: 1 });
    // A new username-only person gets their own thread keyed on the BSUID.
    h.feed('whatsapp', waEntry(waValue({ contacts: [{ profile: { name: 'Kim' }, user_id: 'DE.1500000000000002' }], messages: [{ from_user_id: 'DE.1500000000000002', id: 'wamid.4', timestamp: String(T0 / 1000 + 3), type: 'text', text: { body: 'hi' } }] })));
    expect((await h.call('threads.list', {})).threads.map((t) => t.id)).toContain(`whatsapp:${PHONE_ID}:DE.1500000000000002`);
  });

  it('finds the BSUID in contacts[].user_id when the message itself names neither phone nor user id', async () => {
    const BSUID = 'DE.1500000000000003';
    h.feed('whatsapp', waEntry(waValue({ contacts: [{ profile: { name: 'Mia' }, user_id: BSUID }], messages: [{ id: 'wamid.m1', timestamp: String(T0 / 1000), type: 'text', text: { body: 'hello from a username' } }] })));
    h.feed('whatsapp', waEntry(waValue({ contacts: [{ profile: { name: 'Mia' }, user_id: BSUID }], messages: [{ id: 'wamid.m2', timestamp: String(T0 / 1000 + 1), type: 'text', text: { body: 'second' } }] })));
    const list = await h.call('threads.list', {});
    expect(list.threads.map((t) => [t.id, t.title, t.unreadCount])).toEqual([[`whatsapp:${PHONE_ID}:${BSUID}`, 'Mia', 2]]);
  });

  it('links a lead whose phone equals the wa_id (E.164), both when the lead came first and when it came later', async () => {
    insertLead(h.db, { id: 'lead-1', phone: '+49 151 1234567', name: 'Jürgen Ü' });
    insertLead(h.db, { id: 'lead-2', phone: '+1 650 555 1212', email: 'kim@example.com', name: 'Kim Lee' });
    await h.conv.start();
    await h.conv.settled(); // the start-up lead index sweep yields between batches
    h.feed('whatsapp', waEntry(waValue({ contacts: [contact], messages: [waMessage(WA, 'wamid.x', T0, 'text', { text: { body: 'about my request' } })] })));
    const threadId = `whatsapp:${PHONE_ID}:${WA}`;
    expect((await h.call('threads.forLead', { leadId: 'lead-1' })).threads.map((t) => t.id)).toEqual([threadId]);
    expect((await h.call('threads.get', { threadId })).leads).toEqual([
      expect.objectContaining({ id: 'lead-1', link: 'linked', reason: 'phone' }),
    ]);
    expect((await h.call('threads.forLead', { leadId: 'lead-2' })).threads).toEqual([]);

    // A second person writes first; their lead arrives afterwards (the leads area emits lead.received).
    h.feed('whatsapp', waEntry(waValue({ contacts: [{ profile: { name: 'Sam' }, wa_id: '447700900123' }], messages: [waMessage('447700900123', 'wamid.y', T0, 'text', { text: { body: 'hello' } })] })));
    insertLead(h.db, { id: 'lead-3', phone: '07700 900123', name: 'Sam' }); // national format: not matched, never guessed
    insertLead(h.db, { id: 'lead-4', phone: '+44 7700 900123', name: 'Sam' });
    // The same event the leads area emits after storing a lead.
    for (const id of ['lead-3', 'lead-4']) h.bus.emit('lead.received', { lead: getLeadRow(h.db, id)! });
    expect((await h.call('threads.forLead', { leadId: 'lead-4' })).threads).toHaveLength(1);
    expect((await h.call('threads.forLead', { leadId: 'lead-3' })).threads).toHaveLength(0);
  });

  it('suggests a lead by name for the owner to confirm, and links it when confirmed', async () => {
    insertLead(h.db, { id: 'lead-9', name: 'jürgen  ü', email: 'j@example.com' });
    await h.conv.start();
    await h.conv.settled();
    h.feed('whatsapp', waEntry(waValue({ contacts: [contact], messages: [waMessage(WA, 'wamid.s', T0, 'text', { text: { body: 'hi' } })] })));
    const threadId = `whatsapp:${PHONE_ID}:${WA}`;
    expect((await h.call('threads.get', { threadId })).leads).toEqual([expect.objectContaining({ id: 'lead-9', link: 'suggested', reason: 'name' })]);
    await h.call('threads.linkLead', { threadId, leadId: 'lead-9' });
    expect((await h.call('threads.get', { threadId })).leads).toEqual([expect.objectContaining({ id: 'lead-9', link: 'linked', reason: 'owner' })]);
    await expect(h.call('threads.linkLead', { threadId, leadId: 'nope' })).rejects.toThrow(/No lead/);
  });

  it('merges two contacts into one person: threads of both channels and their leads follow', async () => {
    h.db.prepare(`INSERT INTO pages(id, name, enabled) VALUES ('1000000000000001', 'Bakery', 1)`).run();
    h.feed('page', { id: '1000000000000001', time: T0, messaging: [{ sender: { id: '7000000000000009' }, recipient: { id: '1000000000000001' }, timestamp: T0, message: { mid: 'm_z', text: 'hi from messenger' } }] });
    h.feed('whatsapp', waEntry(waValue({ contacts: [contact], messages: [waMessage(WA, 'wamid.m', T0, 'text', { text: { body: 'hi from whatsapp' } })] })));
    const [a, b] = (await h.call('threads.list', {})).threads;
    expect(a!.contactId).not.toBe(b!.contactId);
    // The Messenger person's profile name (as the profile lookup stores it) matches: suggested, not merged.
    h.db.prepare('UPDATE contacts SET name = ? WHERE id = ?').run('jürgen ü', h.db.prepare('SELECT contact_id FROM threads WHERE channel = ?').pluck().get('messenger'));
    const wa = (await h.call('threads.list', { channel: 'whatsapp' })).threads[0]!;
    expect((await h.call('threads.get', { threadId: wa.id })).samePerson.map((t) => t.channel)).toEqual(['messenger']);
    const res = await h.call('contacts.merge', { contactId: a!.contactId, intoContactId: b!.contactId });
    expect(res.threads).toBe(1);
    const after = (await h.call('threads.list', {})).threads;
    expect(new Set(after.map((t) => t.contactId))).toEqual(new Set([b!.contactId]));
    expect((await h.call('threads.get', { threadId: wa.id })).samePerson).toEqual([]);
    await expect(h.call('contacts.merge', { contactId: a!.contactId, intoContactId: b!.contactId })).rejects.toThrow(/does not exist/);
  });

  it('a changed number (system message) moves replies and lead links to the new number', async () => {
    h.feed('whatsapp', waEntry(waValue({ contacts: [contact], messages: [waMessage(WA, 'wamid.before', T0, 'text', { text: { body: 'hi' } })] })));
    insertLead(h.db, { id: 'lead-new', phone: '+49 170 9999999' });
    await h.conv.start();
    await h.conv.settled();
    // System messages carry no contacts[] (Meta's reference).
    h.feed('whatsapp', waEntry(waValue({ messages: [waMessage(WA, 'wamid.sys', T0 + 1000, 'system', { system: { body: 'User Jürgen Ü changed from 491511234567 to 491709999999', wa_id: '491709999999', type: 'user_changed_number' } })] })));
    const threadId = `whatsapp:${PHONE_ID}:${WA}`;
    const d = await h.call('threads.get', { threadId });
    expect(d.messages.at(-1)).toMatchObject({ kind: 'system', text: expect.stringContaining('changed from') });
    expect(d.thread.handle).toBe('+491709999999');
    expect(h.db.prepare('SELECT wa_id FROM threads WHERE id = ?').pluck().get(threadId)).toBe('491709999999');
    expect((await h.call('threads.forLead', { leadId: 'lead-new' })).threads.map((t) => t.id)).toEqual([threadId]);
  });

  it('a message naming no sender (no wa_id, no user id) is skipped with a warning, and the rest of the entry is stored', () => {
    const anonymous = { id: 'wamid.anon', timestamp: String(T0 / 1000), type: 'text', text: { body: 'secret words' } };
    h.feed('whatsapp', waEntry(waValue({ messages: [anonymous, waMessage(WA, 'wamid.ok', T0, 'text', { text: { body: 'hello' } })] })));
    expect(h.db.prepare('SELECT meta_id FROM messages').pluck().all()).toEqual(['wamid.ok']);
    expect(h.warnings).toContain('WhatsApp message without a sender id skipped');
  });

  it('rejects an entry without a phone number id and stores nothing of it', () => {
    h.feed('whatsapp', { id: '2000000000000001', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', messages: [waMessage(WA, 'wamid.q', T0, 'text', { text: { body: 'x' } })] } }] });
    expect(h.db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
    expect(h.warnings.some((w) => w.includes('entry rejected'))).toBe(true);
  });
});
