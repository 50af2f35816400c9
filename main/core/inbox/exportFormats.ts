/** CSV and vCard rendering of exported leads. Pure functions, so they are tested on their own. */
export interface ExportRecord {
  id: string;
  created_time: number;
  page_name: string | null;
  form_name: string | null;
  platform: string | null;
  full_name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  city: string | null;
  status: string;
  tags: string | null;
  notes: string;
  answers: string;
  first_contact_at: number | null;
  follow_up_at: number | null;
}

export const csvHeader = [
  'id', 'created_time', 'page', 'form', 'platform', 'name', 'email', 'phone', 'company', 'city',
  'status', 'tags', 'first_contact_at', 'follow_up_at', 'notes', 'answers',
];

/**
 * One RFC 4180 field. Cells a spreadsheet would run as a formula (=, @, tab, CR, or +/- not
 * followed by a digit, which keeps phone numbers like +1 555 intact) get a leading apostrophe.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (/^[=@\t\r]/.test(s) || /^[+-](?![\d\s(])/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function answersText(json: string): string {
  try {
    const answers = JSON.parse(json) as { label?: string; key?: string; values?: string[] }[];
    return answers.map((a) => `${a.label || a.key}: ${(a.values ?? []).join(', ')}`).join('; ');
  } catch {
    return '';
  }
}

export function csvLine(r: ExportRecord): string {
  return (
    [
      r.id, iso(r.created_time), r.page_name, r.form_name, r.platform, r.full_name, r.email, r.phone,
      r.company, r.city, r.status, r.tags ? r.tags.split('\u001f').join(', ') : null,
      iso(r.first_contact_at), iso(r.follow_up_at), r.notes, answersText(r.answers),
    ]
      .map(csvField)
      .join(',') + '\r\n'
  );
}

/** vCard 3.0 text value escaping (RFC 2426 §4). */
function vText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n').replace(/([,;])/g, '\\$1');
}

export function vcard(r: ExportRecord): string {
  const name = r.full_name?.trim() || r.email || r.phone || `Lead ${r.id}`;
  const parts = name.split(/\s+/);
  const family = parts.length > 1 ? parts.at(-1)! : '';
  const given = parts.length > 1 ? parts.slice(0, -1).join(' ') : parts[0]!;
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${vText(name)}`, `N:${vText(family)};${vText(given)};;;`];
  if (r.email) lines.push(`EMAIL;TYPE=INTERNET:${vText(r.email)}`);
  if (r.phone) lines.push(`TEL;TYPE=CELL:${vText(r.phone)}`);
  if (r.company) lines.push(`ORG:${vText(r.company)}`);
  if (r.city) lines.push(`ADR;TYPE=HOME:;;;${vText(r.city)};;;`);
  const note = [r.form_name && `Lead from ${r.form_name}`, r.notes].filter(Boolean).join('\n');
  if (note) lines.push(`NOTE:${vText(note)}`);
  lines.push('END:VCARD');
  return lines.join('\r\n') + '\r\n';
}
