import { locales, questionKey, type LocaleData } from './names';
import { rngFor, type Rng } from './prng';
import type { FieldDatum, Question } from './model';

export interface Person {
  firstName: string;
  lastName: string;
  fullName: string;
  email: string;
  phone: string;
  city: string;
}

export function localeData(locale: string): LocaleData {
  return locales.find((l) => l.locale === locale) ?? locales[0]!;
}

const separators = ['.', '', '_'];
const emailSafeCache = new Map<string, string>();

/** The romanised name as it can appear in an address ("o'neill" → "oneill"), computed once. */
function emailSafe(latin: string): string {
  let v = emailSafeCache.get(latin);
  if (v === undefined) emailSafeCache.set(latin, (v = latin.replace(/[^a-z]/g, '')));
  return v;
}

export function makePerson(rng: Rng, loc: LocaleData): Person {
  const [first, firstLatin] = rng.pick(loc.first);
  const [last, lastLatin] = rng.pick(loc.last);
  const fullName = loc.familyFirst ? `${last}${first}` : `${first} ${last}`;
  const sep = rng.pick(separators);
  const num = rng.chance(0.4) ? String(rng.int(1, 99)) : '';
  const email = `${emailSafe(firstLatin)}${sep}${emailSafe(lastLatin)}${num}@${rng.pick(loc.domains)}`;
  const phone = loc.phone(String(rng.int(1_000_000_000, 9_999_999_999)));
  return { firstName: first, lastName: last, fullName, email, phone, city: rng.pick(loc.cities) };
}

/** A form's questions: the standard contact fields plus one or two custom questions in its language. */
export function makeQuestions(rng: Rng, loc: LocaleData, newId: () => string): Question[] {
  const qs: Question[] = [
    { key: 'full_name', label: 'Full name', type: 'FULL_NAME', id: newId() },
    { key: 'email', label: 'Email', type: 'EMAIL', id: newId() },
    { key: 'phone_number', label: 'Phone number', type: 'PHONE', id: newId() },
  ];
  if (rng.chance(0.6)) qs.push({ key: 'city', label: 'City', type: 'CITY', id: newId() });
  const custom = [...loc.questions];
  const n = rng.int(1, Math.min(2, custom.length));
  for (let i = 0; i < n; i++) {
    const q = custom.splice(rng.int(0, custom.length - 1), 1)[0]!;
    const question: Question = {
      key: questionKey(q.label),
      label: q.label,
      type: 'CUSTOM',
      id: newId(),
    };
    if (q.options) question.options = q.options.map((o) => ({ key: questionKey(o), value: o }));
    qs.push(question);
  }
  return qs;
}

/** Answers for one lead; multiple-choice answers are option keys, as Meta returns them ([C]). */
export function answer(
  rng: Rng,
  loc: LocaleData,
  questions: Question[],
  person = makePerson(rng, loc),
): FieldDatum[] {
  const out: FieldDatum[] = [];
  for (const q of questions) {
    switch (q.type) {
      case 'FULL_NAME':
        out.push({ name: q.key, values: [person.fullName] });
        break;
      case 'FIRST_NAME':
        out.push({ name: q.key, values: [person.firstName] });
        break;
      case 'LAST_NAME':
        out.push({ name: q.key, values: [person.lastName] });
        break;
      case 'EMAIL':
        out.push({ name: q.key, values: [person.email] });
        break;
      case 'PHONE':
        out.push({ name: q.key, values: [person.phone] });
        break;
      case 'CITY':
        out.push({ name: q.key, values: [person.city] });
        break;
      default:
        if (q.options?.length) out.push({ name: q.key, values: [rng.pick(q.options).key] });
        else if (rng.chance(0.5))
          out.push({
            name: q.key,
            values: [rng.pick(['', 'Please call after 5pm', 'Thanks!', '🙂'])].filter(Boolean),
          });
    }
  }
  return out;
}

/** Deterministic answers by lead index, so a million leads need no stored answers. */
export function answerGenerator(
  seed: number,
  locale: string,
  questions: Question[],
): (index: number) => FieldDatum[] {
  const loc = localeData(locale);
  return (index) => answer(rngFor(seed, index), loc, questions);
}
