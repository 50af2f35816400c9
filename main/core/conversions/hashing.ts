import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Normalisation and hashing of contact data exactly as Meta's customer information parameters
 * specify (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters):
 * email trimmed and lowercased; phone as digits only with the country code, no symbols, letters or
 * leading zeros; both SHA-256, lowercase hex. Meta rejects unhashed contact data, so nothing here
 * ever returns the plain value to the sender.
 */

export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  // Not a full RFC check: Meta matches on the hash, so we only refuse what cannot be an address.
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
}

/**
 * Digits with the country code. Meta's own example ("(650)555-1212", a US number, becomes
 * "16505551212") shows the country must be added when the number lacks it, hence defaultCountry.
 * Returns null when no country code can be known: a hash without one would never match.
 */
export function normalisePhone(raw: string, defaultCountry: string | null = null): string | null {
  let text = raw.trim();
  if (!/\d/.test(text)) return null;
  // "00" is the international call prefix in most countries: "0044 …" means "+44 …".
  if (/^00[1-9]/.test(text.replace(/[^\d+]/g, ''))) text = `+${text.replace(/[^\d]/g, '').slice(2)}`;
  const international = text.startsWith('+');
  const parsed = parsePhoneNumberFromString(
    text,
    international ? undefined : ((defaultCountry ?? undefined) as CountryCode | undefined),
  );
  // libphonenumber also drops a national trunk "0" written after the country code: +44 (0)20 …
  if (parsed?.number) return parsed.number.replace(/\D/g, '');
  if (!international) return null;
  const digits = text.replace(/\D/g, '').replace(/^0+/, '');
  return digits.length >= 7 ? digits : null;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function hashedEmail(raw: string | null): string | null {
  const email = raw ? normaliseEmail(raw) : null;
  return email ? sha256Hex(email) : null;
}

export function hashedPhone(raw: string | null, defaultCountry: string | null): string | null {
  const phone = raw ? normalisePhone(raw, defaultCountry) : null;
  return phone ? sha256Hex(phone) : null;
}
