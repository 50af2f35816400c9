import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeConversionSettings } from '../../main/core/conversions/settings';
import { createSpeedToLead } from '../../main/core/speedToLead/index';
import { recordStageChange } from '../../main/core/conversions/queue';
import { defaultSettings, type Settings } from '../../shared/index';
import type { Db } from '../../main/core/store/db';
import { busWithLog, insertLead, manualClock, quietLogger, recordingNotifier, tempDb } from './helpers';

const min = 60_000;
const at = (iso: string) => Date.parse(iso);

describe('speed to lead: medians on a fixed data set', () => {
  let env: ReturnType<typeof tempDb>;
  beforeEach(() => {
    env = tempDb();
    const lead = (id: string, formId: string, created: string, waitMin: number | null) =>
      insertLead(env.db, {
        id,
        formId,
        createdTime: at(created),
        firstContactAt: waitMin === null ? null : at(created) + waitMin * min,
      });
    lead('a1', 'f1', '2026-11-02T10:00:00Z', 2); // Monday
    lead('a2', 'f1', '2026-11-03T10:00:00Z', 4);
    lead('a3', 'f1', '2026-11-09T10:00:00Z', 10); // next Monday
    lead('a4', 'f1', '2026-11-10T10:00:00Z', null);
    lead('b1', 'f2', '2026-11-04T10:00:00Z', 30);
    lead('b2', 'f2', '2026-11-08T23:30:00Z', 60); // Sunday night UTC = Monday morning in Tokyo
  });
  afterEach(() => env.cleanup());

  async function stats(timeZone: string, range: { from?: number; to?: number } = {}) {
    writeConversionSettings(env.db, { timeZone });
    const s = createSpeedToLead({ db: env.db, ...deps(env.db) });
    return s.handlers['speedToLead.stats'](range);
  }

  it('medians overall, per form and per Monday-start week', async () => {
    const s = await stats('UTC');
    expect(s.overall).toEqual({ medianMs: 10 * min, contacted: 5, uncontacted: 1 });
    expect(s.perForm).toEqual([
      { formId: 'f1', formName: 'Form f1', medianMs: 4 * min, contacted: 3, uncontacted: 1 },
      { formId: 'f2', formName: 'Form f2', medianMs: 45 * min, contacted: 2, uncontacted: 0 },
    ]);
    expect(s.perWeek).toEqual([
      { week: '2026-11-02', medianMs: 17 * min, contacted: 4, uncontacted: 0 },
      { week: '2026-11-09', medianMs: 10 * min, contacted: 1, uncontacted: 1 },
    ]);
  });

  it("weeks follow the owner's time zone", async () => {
    const s = await stats('Asia/Tokyo');
    expect(s.perWeek.map((w) => [w.week, w.medianMs])).toEqual([
      ['2026-11-02', 4 * min],
      ['2026-11-09', 35 * min],
    ]);
  });

  it('a date range limits the leads counted', async () => {
    const s = await stats('UTC', { from: at('2026-11-09T00:00:00Z'), to: at('2026-11-11T00:00:00Z') });
    expect(s.overall).toEqual({ medianMs: 10 * min, contacted: 1, uncontacted: 1 });
  });
});

function deps(_db: Db) {
  const { events } = busWithLog();
  return { events, notifier: recordingNotifier(), clock: manualClock(0), logger: quietLogger };
}

describe('first contact', () => {
  let env: ReturnType<typeof tempDb>;
  beforeEach(() => (env = tempDb()));
  afterEach(() => env.cleanup());

  it('the first contact of any kind counts; later ones change nothing', async () => {
    insertLead(env.db, { id: 'L1', createdTime: at('2026-11-02T10:00:00Z') });
    const clock = manualClock(at('2026-11-02T10:03:00Z'));
    const { events, emitted } = busWithLog();
    const s = createSpeedToLead({ db: env.db, events, notifier: recordingNotifier(), clock, logger: quietLogger });
    expect(s.handlers['leads.contacted']({ id: 'L1', via: 'call' })).toEqual({
      firstContactAt: at('2026-11-02T10:03:00Z'),
      first: true,
    });
    expect(emitted.map((e) => e.name)).toEqual(['lead.updated']);
    clock.advance(10 * min);
    expect(s.handlers['leads.contacted']({ id: 'L1', via: 'email' })).toEqual({
      firstContactAt: at('2026-11-02T10:03:00Z'),
      first: false,
    });
    expect(env.db.prepare('SELECT via FROM first_contact WHERE lead_id = ?').pluck().get('L1')).toBe('call');
  });

  it('a manual "contacted" status is a first contact', () => {
    insertLead(env.db, { id: 'L2', createdTime: at('2026-11-02T10:00:00Z') });
    recordStageChange(env.db, 'L2', 'contacted', at('2026-11-02T10:07:00Z'));
    const row = env.db.prepare('SELECT first_contact_at FROM leads WHERE id = ?').pluck().get('L2');
    expect(row).toBe(at('2026-11-02T10:07:00Z'));
  });

  it('an unknown lead is a not_found error and writes nothing', () => {
    const s = createSpeedToLead({ db: env.db, ...deps(env.db) });
    expect(() => s.handlers['leads.contacted']({ id: 'nope', via: 'call' })).toThrow(/No lead with id nope/);
    expect(env.db.prepare('SELECT count(*) FROM first_contact').pluck().get()).toBe(0);
  });
});

describe('speed-to-lead reminder', () => {
  let env: ReturnType<typeof tempDb>;
  beforeEach(() => {
    env = tempDb();
    writeConversionSettings(env.db, {
      timeZone: 'UTC',
      reminderMinutes: 5,
      businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
    });
  });
  afterEach(() => env.cleanup());

  function setup(start: string, appSettings?: Settings) {
    const clock = manualClock(at(start));
    const notifier = recordingNotifier();
    const { events, emitted } = busWithLog();
    const s = createSpeedToLead({
      db: env.db,
      events,
      notifier,
      clock,
      logger: quietLogger,
      appSettings: appSettings && (() => appSettings),
    });
    return { clock, notifier, emitted, s };
  }

  it('fires once when a new lead waited longer than the limit, and never again (even after a restart)', () => {
    insertLead(env.db, { id: 'L1', name: 'Ana Pérez', createdTime: at('2026-11-02T10:00:00Z') });
    const { clock, notifier, emitted, s } = setup('2026-11-02T10:04:00Z');
    expect(s.checkReminders()).toEqual([]);
    clock.set(at('2026-11-02T10:05:30Z'));
    expect(s.checkReminders()).toEqual(['L1']);
    expect(notifier.shown).toEqual([
      expect.objectContaining({ route: 'lead/L1', title: 'Ana Pérez is waiting' }),
    ]);
    expect(emitted).toEqual([
      { name: 'notification.requested', payload: expect.objectContaining({ route: 'lead/L1' }) },
    ]);
    clock.advance(10 * min);
    expect(s.checkReminders()).toEqual([]);
    // A second core on the same file (the app restarted) does not remind again.
    const again = setup('2026-11-02T10:30:00Z');
    expect(again.s.checkReminders()).toEqual([]);
    expect(notifier.shown).toHaveLength(1);
  });

  it('is silenced by any contact before the limit', () => {
    insertLead(env.db, { id: 'L1', createdTime: at('2026-11-02T10:00:00Z') });
    insertLead(env.db, { id: 'L2', createdTime: at('2026-11-02T10:00:00Z') });
    const { clock, notifier, s } = setup('2026-11-02T10:02:00Z');
    s.recordFirstContact('L1', clock.now(), 'whatsapp'); // e.g. the conversations sender
    s.handlers['leads.contacted']({ id: 'L2', via: 'call' });
    clock.set(at('2026-11-02T11:00:00Z'));
    expect(s.checkReminders()).toEqual([]);
    expect(notifier.shown).toEqual([]);
  });

  it('counts only business hours: a Friday-night lead is due Monday 09:05', () => {
    insertLead(env.db, { id: 'L1', createdTime: at('2026-11-06T22:00:00Z') }); // Friday
    const { clock, s } = setup('2026-11-07T12:00:00Z'); // Saturday noon
    expect(s.checkReminders()).toEqual([]);
    clock.set(at('2026-11-09T09:04:00Z'));
    expect(s.checkReminders()).toEqual([]);
    clock.set(at('2026-11-09T09:05:00Z'));
    expect(s.checkReminders()).toEqual(['L1']);
  });

  it('old backfilled leads do not raise a flood of reminders', () => {
    insertLead(env.db, { id: 'old', createdTime: at('2026-10-01T10:00:00Z') });
    insertLead(env.db, { id: 'yesterday', createdTime: at('2026-11-02T10:00:00Z') });
    const { s } = setup('2026-11-03T16:00:00Z');
    expect(s.checkReminders()).toEqual([]);
  });

  it('follows the app notification settings: off means none, previews off hides the name', () => {
    insertLead(env.db, { id: 'L1', name: 'Ana Pérez', createdTime: at('2026-11-02T10:00:00Z') });
    const off: Settings = { ...defaultSettings, notifications: { ...defaultSettings.notifications, enabled: false } };
    const muted = setup('2026-11-02T10:06:00Z', off);
    expect(muted.s.checkReminders()).toEqual([]);
    const noPreview: Settings = { ...defaultSettings, notifications: { ...defaultSettings.notifications, previews: false } };
    const shown = setup('2026-11-02T10:07:00Z', noPreview);
    expect(shown.s.checkReminders()).toEqual(['L1']);
    expect(shown.notifier.shown[0]!.title).toBe('A new lead is waiting');
    expect(JSON.stringify(shown.notifier.shown)).not.toContain('Ana');
  });
});
