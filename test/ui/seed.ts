import type { Answer } from '../../shared/index';
import type { Db } from '../../main/core/store/db';
import { customAnswersText } from '../../main/core/leads/searchText';

/**
 * Writes leads straight into the desktop store, for UI tests about the inbox itself (search,
 * filters, triage) where going through Meta would only add time. The live path (simulator →
 * relay → core → screen) has its own test. Inserts go through the same table the sync writes, so
 * the search triggers of migration 0004 index them as they would any synced lead.
 */
export interface SeedLead {
  id: string;
  name: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  city?: string | null;
  status?: string;
  pageId?: string;
  formId?: string;
  platform?: 'facebook' | 'instagram';
  /** Unix ms; default: now minus the lead's position in minutes. */
  createdTime?: number;
  answers?: Answer[];
  tags?: string[];
  firstContactAt?: number | null;
}

export const seedPages = [
  { id: '101', name: 'Sunrise Dental' },
  { id: '102', name: 'Harbour Fitness' },
];
export const seedForms = [
  { id: '201', pageId: '101', name: 'Free consultation' },
  { id: '202', pageId: '101', name: 'Whitening offer' },
  { id: '203', pageId: '102', name: 'Trial week' },
];

export function seedLeads(db: Db, leads: SeedLead[], now = Date.now()): void {
  db.transaction(() => {
    for (const p of seedPages) {
      db.prepare('INSERT OR IGNORE INTO pages(id, name, enabled) VALUES (?, ?, 1)').run(p.id, p.name);
    }
    for (const f of seedForms) {
      db.prepare("INSERT OR IGNORE INTO forms(id, page_id, name, status) VALUES (?, ?, ?, 'ACTIVE')").run(f.id, f.pageId, f.name);
    }
    const insert = db.prepare(
      `INSERT INTO leads(id, page_id, form_id, created_time, received_at, updated_at, state, platform, full_name,
                         email, phone, company, city, answers, search_answers, status, first_contact_at)
       VALUES (?, ?, ?, ?, ?, ?, 'complete', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    leads.forEach((l, i) => {
      const created = l.createdTime ?? now - i * 60_000;
      const formId = l.formId ?? '201';
      const pageId = l.pageId ?? seedForms.find((f) => f.id === formId)?.pageId ?? '101';
      insert.run(
        l.id, pageId, formId, created, created, created, l.platform ?? 'facebook', l.name, l.email ?? null,
        l.phone ?? null, l.company ?? null, l.city ?? null, JSON.stringify(l.answers ?? []),
        customAnswersText(l.answers ?? []), l.status ?? 'new',
        l.firstContactAt ?? null,
      );
      for (const t of l.tags ?? []) db.prepare('INSERT INTO lead_tags(lead_id, tag) VALUES (?, ?)').run(l.id, t);
    });
  })();
}

/**
 * `count` leads named `${prefix} 0000`, `${prefix} 0001`…, one a minute and all older than the
 * sample leads, so newest first the lead at list position 6 + i is number i.
 */
export function numberedLeads(prefix: string, count: number, firstId: number, now: number): SeedLead[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(firstId + i),
    name: `${prefix} ${String(i).padStart(4, '0')}`,
    createdTime: now - (60 + i) * 60_000,
  }));
}

/** A small believable set with names in several scripts, custom answers and mixed sources. */
export function sampleLeads(): SeedLead[] {
  return [
    { id: '9001', name: 'Amelia Hart', email: 'amelia.hart@example.com', phone: '+1 (415) 555-0142', city: 'San Francisco', formId: '201',
      answers: [{ key: 'treatment', label: 'Which treatment are you interested in?', values: ['Invisalign aligners'] }] },
    { id: '9002', name: 'Søren Kierkegård', email: 'soren@example.dk', phone: '+45 20 55 50 11', city: 'København', formId: '202', platform: 'instagram',
      answers: [{ key: 'shade', label: 'Current shade', values: ['A3'] }], tags: ['vip'] },
    { id: '9003', name: '山田 花子', email: 'hanako@example.jp', phone: '+81 90-1234-5678', city: '東京', formId: '201', status: 'contacted',
      answers: [{ key: 'treatment', label: 'Which treatment are you interested in?', values: ['Kitchen-table consult by video'] }] },
    { id: '9004', name: 'محمد العلي', email: 'm.alali@example.ae', phone: '+971 50 123 4567', city: 'دبي', formId: '203', pageId: '102', platform: 'instagram',
      answers: [{ key: 'goal', label: 'Your main goal', values: ['Marathon training'] }], tags: ['vip'] },
    { id: '9005', name: 'Priya Raman', email: 'priya@example.in', phone: '+91 98450 12345', company: 'Raman & Co', city: 'Bengaluru', formId: '203', pageId: '102', status: 'qualified',
      answers: [{ key: 'goal', label: 'Your main goal', values: ['Lose 5 kg before the wedding'] }] },
    { id: '9006', name: 'Lucas Ferreira', email: 'lucas@example.br', phone: '+55 11 95555-0199', city: 'São Paulo', formId: '201',
      answers: [{ key: 'treatment', label: 'Which treatment are you interested in?', values: ['Implants'] }] },
  ];
}
