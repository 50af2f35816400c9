import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCapiEvent, retryDelayMs } from '../../main/core/conversions/payload';
import { dueEvents, eventsForLead, queueMissedStageChanges, recordStageChange } from '../../main/core/conversions/queue';
import { readConversionSettings, writeConversionSettings } from '../../main/core/conversions/settings';
import { insertLead, tempDb } from './helpers';

const t0 = Date.parse('2026-11-02T10:00:00Z');

describe('CAPI queue', () => {
  let env: ReturnType<typeof tempDb>;
  beforeEach(() => {
    env = tempDb();
    insertLead(env.db, { id: '1234567890123456', createdTime: t0, email: ' Ana@Example.com', phone: '+1 (650) 555-1212' });
  });
  afterEach(() => env.cleanup());

  it('queues nothing until a dataset is connected', () => {
    expect(recordStageChange(env.db, '1234567890123456', 'qualified', t0 + 60_000)).toBe(false);
    expect(eventsForLead(env.db, '1234567890123456')).toEqual([]);
  });

  it('queues a mapped stage once, however often the lead returns to it; unmapped stages never', () => {
    writeConversionSettings(env.db, { datasetId: '987654321012345' });
    expect(recordStageChange(env.db, '1234567890123456', 'qualified', t0 + 60_000)).toBe(true);
    expect(recordStageChange(env.db, '1234567890123456', 'lost', t0 + 120_000)).toBe(false);
    expect(recordStageChange(env.db, '1234567890123456', 'qualified', t0 + 180_000)).toBe(false);
    const log = eventsForLead(env.db, '1234567890123456');
    expect(log).toEqual([
      expect.objectContaining({ stage: 'qualified', eventName: 'Qualified', eventTime: t0 + 60_000, status: 'pending' }),
    ]);
  });

  it('an edited mapping sends a stage under the owner-chosen event name', () => {
    writeConversionSettings(env.db, { datasetId: '987654321012345', stageEvents: { new: 'Initial Lead', won: 'Sale' } });
    recordStageChange(env.db, '1234567890123456', 'won', t0 + 1000);
    recordStageChange(env.db, '1234567890123456', 'qualified', t0 + 2000);
    expect(eventsForLead(env.db, '1234567890123456').map((e) => e.eventName)).toEqual(['Sale']);
  });

  it('heals a stage change nobody recorded (status written directly) within 7 days', () => {
    writeConversionSettings(env.db, { datasetId: '987654321012345' });
    env.db.prepare("UPDATE leads SET status = 'won', status_changed_at = ? WHERE id = ?").run(t0 + 5000, '1234567890123456');
    expect(queueMissedStageChanges(env.db, t0 + 10_000)).toEqual(['1234567890123456']);
    expect(queueMissedStageChanges(env.db, t0 + 10_000)).toEqual([]);
    expect(eventsForLead(env.db, '1234567890123456')[0]).toMatchObject({ stage: 'won', eventTime: t0 + 5000 });
  });

  it('payload: Meta CRM fields, lead id unhashed, contact data only when opted in', () => {
    writeConversionSettings(env.db, { datasetId: '987654321012345' });
    recordStageChange(env.db, '1234567890123456', 'won', t0 + 90_500);
    const [row] = dueEvents(env.db, t0 + 100_000, 10);
    expect(buildCapiEvent(row!, readConversionSettings(env.db))).toEqual({
      event_name: 'Converted',
      event_time: Math.floor((t0 + 90_500) / 1000),
      action_source: 'system_generated',
      event_id: '1234567890123456.won',
      user_data: { lead_id: '1234567890123456' },
      custom_data: { event_source: 'crm', lead_event_source: 'Lead Inbox' },
    });
    const optedIn = writeConversionSettings(env.db, { sendHashedContact: true });
    const withHashes = buildCapiEvent(row!, optedIn);
    // Expected values by `printf %s ana@example.com | sha256sum`, and Meta's own phone example.
    expect(withHashes.user_data.em).toEqual(['8e43ca37701228e74983efdbd0cff5c16b3b1e5d4e29a7c05626d4d25a018e11']);
    expect(withHashes.user_data.ph).toEqual(['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176']);
    expect(JSON.stringify(withHashes)).not.toMatch(/ana@|650/i);
  });

  it('backoff grows from a minute to a 15-minute cap, with jitter inside it', () => {
    expect(retryDelayMs(0, () => 0)).toBe(30_000);
    expect(retryDelayMs(0, () => 0.999)).toBeLessThan(60_000);
    expect(retryDelayMs(2, () => 0)).toBe(120_000);
    expect(retryDelayMs(20, () => 0.999)).toBeLessThanOrEqual(15 * 60_000);
  });

  it('settings refuse bad input and keep the stored value', () => {
    writeConversionSettings(env.db, { datasetId: '987654321012345' });
    expect(() => writeConversionSettings(env.db, { timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
    expect(() =>
      writeConversionSettings(env.db, { businessHours: { days: [1], start: '18:00', end: '09:00' } }),
    ).toThrow(/end after/);
    expect(readConversionSettings(env.db).datasetId).toBe('987654321012345');
  });
});
