import { openDatabase } from '../../../main/core/store/db';
import { customAnswersText } from '../../../main/core/leads/searchText';
import { leadSearchTriggers, rebuildLeadSearch } from '../../../main/core/store/migrations/0012-search-doc-on-lead';

const first = ['Amelia', 'Lucas', 'Priya', 'Søren', 'Hanako', 'Mohammed', 'Olivia', 'Mateo', 'Chloé', 'Noah', 'Aisha', 'Yuki', 'Elena', 'Omar', 'Zoë', 'Ivan'];
const last = ['Hart', 'Ferreira', 'Raman', 'Kierkegård', 'Yamada', 'Al-Ali', 'Smith', 'García', 'Dubois', 'Müller', 'Okafor', 'Sato', 'Rossi', 'Haddad', 'Novak', 'Kowalski'];
const cities = ['Berlin', 'São Paulo', 'Bengaluru', 'København', 'Tokyo', 'Dubai', 'Austin', 'Lyon', 'Lagos', 'Warsaw'];
const projects = ['Kitchen remodel', 'Loft conversion', 'Teeth whitening', 'Marathon training', 'Wedding photos', 'Roof repair', 'Invisalign', 'Solar panels'];
const stages = ['new', 'contacted', 'qualified', 'won', 'lost'];

/** Deterministic PRNG so every run benchmarks the same data. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes `count` believable leads straight into a fresh store (search triggers included, as the
 * sync would) in large transactions. Returns one known lead to search for.
 */
export function generateLeads(file: string, count: number, now = Date.now()): { phoneFragment: string; answer: string } {
  const db = openDatabase(file);
  db.pragma('synchronous = OFF');
  const rnd = mulberry32(42);
  const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)]!;
  db.transaction(() => {
    for (let p = 0; p < 3; p++) db.prepare('INSERT INTO pages(id, name, enabled) VALUES (?, ?, 1)').run(`10${p}`, `Page ${p + 1}`);
    for (let f = 0; f < 12; f++) db.prepare("INSERT INTO forms(id, page_id, name, status) VALUES (?, ?, ?, 'ACTIVE')").run(`20${f}`, `10${f % 3}`, `Form ${f + 1}`);
  })();
  // Bulk load: index for search once at the end instead of row by row (same SQL as the triggers).
  db.exec('DROP TRIGGER leads_search_insert; DROP TRIGGER leads_search_update; DROP TRIGGER leads_search_delete;');
  const insert = db.prepare(
    `INSERT INTO leads(id, page_id, form_id, created_time, received_at, updated_at, state, platform, full_name, email, phone,
                       company, city, answers, search_answers, status, first_contact_at)
     VALUES (?, ?, ?, ?, ?, ?, 'complete', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const tag = db.prepare('INSERT INTO lead_tags(lead_id, tag) VALUES (?, ?)');
  const batch = 20_000;
  for (let start = 0; start < count; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(count, start + batch); i++) {
        const name = `${pick(first)} ${pick(last)}`;
        const form = Math.floor(rnd() * 12);
        const created = now - Math.floor(rnd() * 365 * 86_400_000);
        const phone = `+1 ${200 + Math.floor(rnd() * 800)} 555-${String(Math.floor(rnd() * 10_000)).padStart(4, '0')}`;
        const answers = [
          { key: 'project', label: 'What is your project?', values: [pick(projects)] },
          { key: 'budget', label: 'Budget', values: [`${Math.floor(rnd() * 50) * 1000}`] },
        ];
        const status = pick(stages);
        insert.run(
          `${1_000_000_000_000 + i}`, `10${form % 3}`, `20${form}`, created, created, created, rnd() < 0.3 ? 'instagram' : 'facebook',
          name, `${name.toLowerCase().replace(/\s+/g, '.')}${i}@example.com`, phone, rnd() < 0.3 ? `${pick(last)} GmbH` : null,
          pick(cities), JSON.stringify(answers), customAnswersText(answers), status, status === 'new' ? null : created + Math.floor(rnd() * 3_600_000),
        );
        if (rnd() < 0.05) tag.run(`${1_000_000_000_000 + i}`, 'vip');
      }
    })();
  }
  // One needle lead with a unique phone and answer, to measure a selective search.
  const needle = [{ key: 'project', label: 'What is your project?', values: ['Geodesic greenhouse'] }];
  insert.run('999', '100', '200', now, now, now, 'facebook', 'Needle Person', 'needle@example.com', '+1 (415) 867-5309', null, 'Austin',
    JSON.stringify(needle), customAnswersText(needle), 'new', null);
  rebuildLeadSearch(db);
  db.exec(leadSearchTriggers);
  db.exec('ANALYZE');
  db.close();
  return { phoneFragment: '8675309', answer: 'geodesic' };
}
