import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import {
  normaliseLead,
  normalisePhone,
  parseMetaTime,
  type FormQuestion,
} from '../../main/core/leads/normalise';

const questions: FormQuestion[] = [
  { key: 'full_name', label: 'Full name', type: 'FULL_NAME' },
  { key: 'email', label: 'Email', type: 'EMAIL' },
  { key: 'phone_number', label: 'Phone number', type: 'PHONE' },
  {
    key: 'budget',
    label: 'What is your budget?',
    type: 'CUSTOM',
    options: [
      { key: 'b_low', value: 'Under €1,000' },
      { key: 'b_high', value: 'Over €1,000' },
    ],
  },
];

describe('lead field normalisation', () => {
  it('maps Meta field_data to name, lowercased email, E.164 phone, labelled answers and ad names', () => {
    const lead = normaliseLead(
      {
        id: '1234567890123456',
        created_time: '2026-11-20T09:30:00+0000',
        form_id: '55',
        ad_id: '77',
        ad_name: 'Autumn promo',
        adset_name: 'Berlin 25-45',
        campaign_name: 'Q4 leads',
        is_organic: false,
        platform: 'ig',
        field_data: [
          { name: 'full_name', values: ['  Jana Müller '] },
          { name: 'email', values: ['Jana@Example.DE'] },
          { name: 'phone_number', values: ['030 1234567'] },
          { name: 'budget', values: ['b_high'] },
          { name: 'preferred_contact_time', values: ['evenings'] },
        ],
      },
      questions,
      'de_DE',
    );
    expect(lead).toMatchObject({
      fullName: 'Jana Müller',
      email: 'jana@example.de',
      phone: '+49301234567',
      platform: 'instagram',
      isOrganic: false,
      adName: 'Autumn promo',
      adsetName: 'Berlin 25-45',
      campaignName: 'Q4 leads',
      createdTime: Date.UTC(2026, 10, 20, 9, 30),
    });
    expect(lead.answers).toContainEqual({
      key: 'budget',
      label: 'What is your budget?',
      values: ['Over €1,000'],
    });
    // A question the form no longer lists keeps a readable label made from its key.
    expect(lead.answers).toContainEqual({
      key: 'preferred_contact_time',
      label: 'Preferred contact time',
      values: ['evenings'],
    });
  });

  it('builds the name from first + last, treats a lead without an ad as organic, keeps odd phones as typed', () => {
    const lead = normaliseLead(
      {
        id: '1',
        created_time: '2026-01-02T03:04:05+0000',
        platform: 'fb',
        field_data: [
          { name: 'first_name', values: ['Ola'] },
          { name: 'last_name', values: ['Nordmann'] },
          { name: 'phone_number', values: ['call me maybe'] },
          { name: 'company_name', values: ['Fjord AS'] },
          { name: 'city', values: ['Bergen'] },
        ],
      },
      [],
    );
    expect(lead).toMatchObject({
      fullName: 'Ola Nordmann',
      phone: 'call me maybe',
      company: 'Fjord AS',
      city: 'Bergen',
      platform: 'facebook',
      isOrganic: true,
      adId: null,
      email: null,
    });
    expect(lead.answers.find((a) => a.key === 'first_name')?.label).toBe('First name');
  });

  it('parses phones with a country code regardless of the form locale', () => {
    expect(normalisePhone('+1 (415) 555-2671')).toBe('+14155552671');
    expect(normalisePhone('0612345678', 'NL')).toBe('+31612345678');
    expect(normalisePhone('', 'NL')).toBeNull();
  });

  it('keeps a number already in E.164 exactly as a full parse would write it', () => {
    // Meta's phone question mostly sends E.164; those skip libphonenumber (backfill cost), so the
    // shortcut must agree with the parse for the countries our owners are in.
    for (const n of [
      '+15125550123',
      '+34612345678',
      '+4915112345678',
      '+966512345678',
      '+919812345678',
      '+819012345678',
      '+447911123456',
      '+31612345678',
    ]) {
      const parsed = parsePhoneNumberFromString(n);
      expect(normalisePhone(n, 'NL')).toBe(parsed?.isPossible() ? parsed.number : n);
    }
    expect(normalisePhone(' +31 6 12345678 ')).toBe('+31612345678');
  });

  it('reads Meta times with "+0000" offsets and Unix seconds', () => {
    expect(parseMetaTime('2026-11-24T07:00:00+0000')).toBe(Date.UTC(2026, 10, 24, 7));
    expect(parseMetaTime(1_700_000_000)).toBe(1_700_000_000_000);
    expect(() => parseMetaTime('yesterday')).toThrow(/Unreadable/);
  });
});
