import { describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../shared/domain/settings';
import {
  BadgeState,
  RecentTags,
  planNotification,
} from '../../main/electron/pure/notificationPolicy';

const at = (hhmm: string) => new Date(`2026-11-24T${hhmm}:00`); // local time, like quiet hours
const lead = {
  tag: 'lead:901',
  title: 'New lead: Ana Lima',
  body: 'Spring promo form',
  route: 'lead/901',
};
const settings = (patch: Partial<Settings['notifications']> = {}): Settings => ({
  ...defaultSettings,
  notifications: { ...defaultSettings.notifications, ...patch },
});
const quiet = (start: string, end: string) =>
  settings({ quietHours: { enabled: true, start, end } });

describe("quiet hours (the core's rule, applied by the shell to every notification)", () => {
  it('wraps a window that crosses midnight (start inside, end outside)', () => {
    const q = quiet('22:00', '07:00');
    expect(planNotification(lead, q, at('21:59')).show).toBe(true);
    expect(planNotification(lead, q, at('22:00'))).toEqual({ show: false, reason: 'quiet_hours' });
    expect(planNotification(lead, q, at('03:15'))).toEqual({ show: false, reason: 'quiet_hours' });
    expect(planNotification(lead, q, at('06:59'))).toEqual({ show: false, reason: 'quiet_hours' });
    expect(planNotification(lead, q, at('07:00')).show).toBe(true);
  });

  it('handles a same-day window and ignores a disabled one', () => {
    expect(planNotification(lead, quiet('12:00', '13:00'), at('12:30')).show).toBe(false);
    expect(planNotification(lead, quiet('12:00', '13:00'), at('13:00')).show).toBe(true);
    const off = settings({ quietHours: { enabled: false, start: '12:00', end: '13:00' } });
    expect(planNotification(lead, off, at('12:30')).show).toBe(true);
  });
});

describe('planNotification', () => {
  it('shows the lead with its preview and routes the click to the lead', () => {
    expect(planNotification(lead, settings(), at('10:00'))).toEqual({
      show: true,
      tag: 'lead:901',
      title: 'New lead: Ana Lima',
      body: 'Spring promo form',
      silent: false,
      route: 'lead/901',
    });
  });

  it('hides names and message text when previews are off', () => {
    const plan = planNotification(lead, settings({ previews: false }), at('10:00'));
    expect(plan).toMatchObject({ show: true, title: 'New lead', route: 'lead/901' });
    expect(JSON.stringify(plan)).not.toContain('Ana');
    const msg = { tag: 't', title: 'Bo: hi', body: 'is it still available?', route: 'thread/t_5' };
    expect(planNotification(msg, settings({ previews: false }), at('10:00'))).toMatchObject({
      title: 'New message',
      route: 'thread/t_5',
    });
  });

  it('stays silent during quiet hours, off, or with an unknown route', () => {
    expect(planNotification(lead, quiet('22:00', '07:00'), at('23:30'))).toEqual({
      show: false,
      reason: 'quiet_hours',
    });
    expect(planNotification(lead, quiet('22:00', '07:00'), at('08:00')).show).toBe(true);
    expect(planNotification(lead, settings({ enabled: false }), at('10:00'))).toEqual({
      show: false,
      reason: 'disabled',
    });
    expect(
      planNotification({ ...lead, route: 'https://evil.example' }, settings(), at('10:00')),
    ).toEqual({
      show: false,
      reason: 'bad_route',
    });
  });

  it('makes the notification silent when sound is off', () => {
    expect(planNotification(lead, settings({ sound: false }), at('10:00'))).toMatchObject({
      show: true,
      silent: true,
    });
  });
});

describe('badge and repeat handling', () => {
  it('counts unread conversations plus each lead that came while the owner was away', () => {
    const b = new BadgeState();
    expect(b.setUnreadThreads(3)).toBe(3);
    expect(b.leadArrived('lead/1')).toBe(4);
    expect(b.leadArrived('lead/1')).toBe(4);
    expect(b.leadArrived('lead/2')).toBe(5);
    expect(b.seen()).toBe(3);
    expect(b.setUnreadThreads(0)).toBe(0);
    expect(b.setUnreadThreads(-2)).toBe(0);
  });

  it('lets a tag through once per minute so replays and double reports do not ring twice', () => {
    const r = new RecentTags(60_000);
    expect(r.admit('lead:1', 0)).toBe(true);
    expect(r.admit('lead:1', 59_999)).toBe(false);
    expect(r.admit('lead:2', 59_999)).toBe(true);
    expect(r.admit('lead:1', 60_000)).toBe(true);
  });
});
