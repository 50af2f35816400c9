import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../main/core/events';
import { createFileLogger } from '../../main/core/log/fileLogger';
import { redactString } from '../../main/core/log/redact';
import { createJsonSettingsStore } from '../../main/core/settings/jsonSettingsStore';
import { createSettingsService } from '../../main/core/settings/settingsService';
import { defaultSettings, settingsFromStored } from '../../shared/index';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'li-set-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('settings', () => {
  it('default reconciliation is 15 minutes; updates persist to settings.json and are announced', () => {
    const dir = tempDir();
    const events = new EventBus();
    const seen: number[] = [];
    events.on('settings.changed', (s) => seen.push(s.sync.reconciliationMinutes));
    const service = createSettingsService(createJsonSettingsStore(dir), events);
    expect(service.get().sync.reconciliationMinutes).toBe(15);
    service.update({
      sync: { reconciliationMinutes: 30 },
      notifications: { quietHours: { enabled: true, start: '21:00', end: '06:30' } },
    });
    expect(seen).toEqual([30]);
    const again = createSettingsService(createJsonSettingsStore(dir), new EventBus());
    expect(again.get().sync.reconciliationMinutes).toBe(30);
    expect(again.get().notifications.quietHours).toEqual({
      enabled: true,
      start: '21:00',
      end: '06:30',
    });
    expect(again.get().notifications.sound).toBe(true); // untouched fields keep their value
  });

  it('rejects an invalid update with a clear error and changes nothing', () => {
    const dir = tempDir();
    const service = createSettingsService(createJsonSettingsStore(dir), new EventBus());
    expect(() => service.update({ sync: { reconciliationMinutes: 0 } })).toThrow(
      /reconciliationMinutes/,
    );
    expect(service.get()).toEqual(defaultSettings);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a damaged or older file keeps every readable field and defaults the rest', () => {
    const s = settingsFromStored({
      sync: { reconciliationMinutes: 'soon', tokenWarningDays: 3 },
      notifications: 'loud',
      extra: 1,
    });
    expect(s.sync).toEqual({ reconciliationMinutes: 15, tokenWarningDays: 3 });
    expect(s.notifications).toEqual(defaultSettings.notifications);
  });
});

describe('log file', () => {
  it('redacts tokens, secrets and bearer values', () => {
    // Shaped like a Meta token (EAA…) so the redactor must catch it; made up for this test.
    const eaa = 'EAATESTONLYfake' + 'x'.repeat(40);
    expect(redactString(`GET /v25.0/me?access_token=${eaa}&fields=id`)).not.toContain('EAATESTONLY');
    expect(redactString(`Authorization: Bearer in_abc.${'s'.repeat(43)}`)).not.toMatch(/s{20}/);
    expect(redactString(`token ${'Zm9vYmFy'.repeat(6)}`)).toContain('[redacted]');
    expect(redactString('page 110000000000001 synced')).toBe('page 110000000000001 synced');
  });

  it('writes JSON lines without personal fields and rotates at the size limit', () => {
    const dir = tempDir();
    const log = createFileLogger({ dir, maxBytes: 400, maxFiles: 3 });
    for (let i = 0; i < 30; i++)
      log.warn('lead fetch failed', {
        leadId: String(i),
        email: 'a@b.c',
        error: `token=EAA${'q'.repeat(30)}`,
      });
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['lead-inbox.log', 'lead-inbox.log.1', 'lead-inbox.log.2']);
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    const line = JSON.parse(text.split('\n')[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'warn', msg: 'lead fetch failed', email: '[redacted]' });
    expect(text).not.toContain('a@b.c');
    expect(text).not.toContain('EAAq');
    expect(text).not.toMatch(/q{30}/);
  });
});
