import { describe, expect, it } from 'vitest';
import { hashedEmail, hashedPhone, normaliseEmail, normalisePhone } from '../../main/core/conversions/hashing';

// Expected hashes are the ones printed in Meta's "Customer Information Parameters" page
// (developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters),
// cross-checked with `printf %s … | sha256sum`, not computed by the code under test.
describe('normalisation and hashing as Meta specifies', () => {
  it('email: trimmed, lowercased, SHA-256 hex (Meta example John_Smith@gmail.com)', () => {
    expect(normaliseEmail('  John_Smith@gmail.com \n')).toBe('john_smith@gmail.com');
    expect(hashedEmail('  John_Smith@gmail.com ')).toBe(
      '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
    );
  });

  it('phone: digits with country code (Meta example, US (650)555-1212 → 16505551212)', () => {
    expect(normalisePhone('(650)555-1212', 'US')).toBe('16505551212');
    expect(hashedPhone('(650)555-1212', 'US')).toBe(
      'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
    );
    expect(hashedPhone('+1 650-555-1212', null)).toBe(
      'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
    );
  });

  it('phone: symbols, a 00 prefix and a national trunk zero are removed', () => {
    expect(normalisePhone('+44 844 412 4653')).toBe('448444124653');
    expect(normalisePhone('0044 844 412 4653')).toBe('448444124653');
    expect(normalisePhone('+44 (0)844 412 4653')).toBe('448444124653');
    // Same number written nationally with the owner's default country.
    expect(normalisePhone('0844 412 4653', 'GB')).toBe('448444124653');
    expect(hashedPhone('+44 844 412 4653', null)).toBe(
      'dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383',
    );
  });

  it('refuses what cannot be matched instead of hashing garbage', () => {
    expect(normalisePhone('(650)555-1212', null)).toBeNull(); // no country code known
    expect(normalisePhone('call me')).toBeNull();
    expect(normaliseEmail('not an email')).toBeNull();
    expect(hashedEmail(null)).toBeNull();
  });
});
