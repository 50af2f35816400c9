import { describe, expect, it } from 'vitest';
import { csvField, csvLine, vcard, type ExportRecord } from '../../main/core/inbox/exportFormats';

const record: ExportRecord = {
  id: '42', created_time: Date.UTC(2026, 0, 2, 3, 4, 5), page_name: 'Sunrise, Dental', form_name: 'Free "consult"',
  platform: 'facebook', full_name: 'Zoë de la Cruz', email: 'zoe@example.com', phone: '+34 600 111 222', company: null,
  city: 'Sevilla', status: 'new', tags: 'vip\u001fhot', notes: 'line one\nline two', first_contact_at: null, follow_up_at: null,
  answers: JSON.stringify([{ key: 'q', label: 'Project; size', values: ['Kitchen', 'Bath'] }]),
};

describe('CSV', () => {
  it('quotes commas, quotes and newlines, and keeps phone numbers intact', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('x\ny')).toBe('"x\ny"');
    expect(csvField('+34 600 111 222')).toBe('+34 600 111 222');
    expect(csvField(null)).toBe('');
  });
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-cmd')).toBe("'-cmd");
    expect(csvField('-5')).toBe('-5');
  });
  it('writes one CRLF line per lead with every field', () => {
    expect(csvLine(record)).toBe(
      '42,2026-01-02T03:04:05.000Z,"Sunrise, Dental","Free ""consult""",facebook,Zoë de la Cruz,zoe@example.com,+34 600 111 222,,Sevilla,new,"vip, hot",,,"line one\nline two",Project; size: Kitchen, Bath\r\n'.replace(
        'Project; size: Kitchen, Bath',
        '"Project; size: Kitchen, Bath"',
      ),
    );
  });
});

describe('vCard', () => {
  it('writes a vCard 3.0 contact with escaped text', () => {
    const card = vcard(record);
    expect(card.startsWith('BEGIN:VCARD\r\nVERSION:3.0\r\n')).toBe(true);
    expect(card).toContain('FN:Zoë de la Cruz\r\n');
    expect(card).toContain('N:Cruz;Zoë de la;;;\r\n');
    expect(card).toContain('TEL;TYPE=CELL:+34 600 111 222\r\n');
    expect(card).toContain('NOTE:Lead from Free "consult"\\nline one\\nline two\r\n');
    expect(card.endsWith('END:VCARD\r\n')).toBe(true);
  });
});
