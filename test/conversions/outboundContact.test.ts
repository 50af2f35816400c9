import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Changes, createPublisher } from '../../main/core/conversations/publish';
import { recordMessage } from '../../main/core/conversations/record';
import { busWithLog, insertLead, quietLogger, recordingNotifier, tempDb } from './helpers';

const t0 = Date.parse('2026-11-02T10:00:00Z');
const min = 60_000;

/** The conversations area's own write path (recordMessage) marks first contact for linked leads. */
describe('first contact from an outbound message', () => {
  let env: ReturnType<typeof tempDb>;
  beforeEach(() => {
    env = tempDb();
    const db = env.db;
    insertLead(db, { id: 'L1', createdTime: t0, phone: '+15551230000' });
    db.prepare("INSERT INTO contacts (id, name, phone, created_at) VALUES (1, 'Ana', '+15551230000', ?)").run(t0);
    db.prepare("INSERT INTO contact_leads (lead_id, contact_id, how, linked_at) VALUES ('L1', 1, 'phone', ?)").run(t0);
    db.prepare(
      `INSERT INTO threads (id, channel, account_id, participant_id, contact_id, created_at)
       VALUES ('wa:1', 'whatsapp', 'PN1', '15551230000', 1, ?)`,
    ).run(t0);
  });
  afterEach(() => env.cleanup());

  const send = (sentAt: number, status: 'sending' | 'sent', metaId: string, changes = new Changes()) =>
    recordMessage(
      env.db,
      changes,
      { threadId: 'wa:1', metaId, direction: 'out', kind: 'text', text: 'Hi Ana!', attachments: [], status, sentAt },
      { live: true, opensWindow: false },
      sentAt,
    );
  const firstContact = () =>
    env.db.prepare('SELECT l.first_contact_at AS at, f.via FROM leads l LEFT JOIN first_contact f ON f.lead_id = l.id').get();

  it('a reply still sending does not count; the sent one does, once', () => {
    send(t0 + 2 * min, 'sending', 'local-1');
    expect(firstContact()).toEqual({ at: null, via: null });
    send(t0 + 3 * min, 'sent', 'wamid.A');
    send(t0 + 9 * min, 'sent', 'wamid.B');
    expect(firstContact()).toEqual({ at: t0 + 3 * min, via: 'whatsapp' });
  });

  it('a message from an earlier conversation (before the lead) is not an answer to it', () => {
    send(t0 - 3 * 86400_000, 'sent', 'wamid.OLD');
    expect(firstContact()).toEqual({ at: null, via: null });
  });

  it('the lead list hears about the first contact (lead.updated after commit), not about later replies', () => {
    const bus = busWithLog();
    const publish = createPublisher({ db: env.db, events: bus.events, notifier: recordingNotifier(), logger: quietLogger, prefs: () => ({ enabled: true, previews: true }) });
    const first = new Changes();
    send(t0 + 3 * min, 'sent', 'wamid.A', first);
    publish(first);
    const updates = () => bus.emitted.filter((e) => e.name === 'lead.updated').map((e) => e.payload);
    expect(updates()).toEqual([{ lead: expect.objectContaining({ id: 'L1', firstContactAt: t0 + 3 * min }) }]);
    const later = new Changes();
    send(t0 + 9 * min, 'sent', 'wamid.B', later);
    publish(later);
    expect(updates()).toHaveLength(1);
  });
});
