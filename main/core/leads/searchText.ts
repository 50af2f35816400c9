import type { Answer } from '../../../shared/index';
import { standardQuestionKeys } from './normalise';

/**
 * The searched text of a lead's custom answers (leads.search_answers, migration 0010): every value
 * of every non-standard question, in order, space-separated; null when there is none. Computed here
 * once per write instead of by SQLite parsing the answers JSON for every lead it indexes. Migration
 * 0004 holds the same rule in SQL, which 0010 used once to fill the column of older stores.
 */
export function customAnswersText(answers: readonly Answer[]): string | null {
  // Values joined by single spaces (empty ones too); a loop, as it runs once per backfilled lead.
  let text = '';
  let any = false;
  for (const a of answers) {
    if (standardQuestionKeys.has(a.key)) continue; // searched in their own columns
    for (const v of a.values) {
      text = any ? text + ' ' + v : v;
      any = true;
    }
  }
  return text === '' ? null : text;
}
