import type { Answer } from '../../../shared/index';

// Answers to the standard questions are already in their own columns, and searched there.
const standardKeys = new Set([
  'full_name',
  'first_name',
  'last_name',
  'email',
  'phone_number',
  'phone',
  'company_name',
  'company',
  'city',
]);

/**
 * The searched text of a lead's custom answers (leads.search_answers, migration 0010): every value
 * of every non-standard question, in order, space-separated; null when there is none. Computed here
 * once per write instead of by SQLite parsing the answers JSON for every lead it indexes. Migration
 * 0004 holds the same rule in SQL, which 0010 used once to fill the column of older stores.
 */
export function customAnswersText(answers: readonly Answer[]): string | null {
  const text = answers
    .filter((a) => !standardKeys.has(a.key))
    .flatMap((a) => a.values)
    .join(' ');
  return text === '' ? null : text;
}
