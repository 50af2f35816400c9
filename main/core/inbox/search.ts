/**
 * Turns what the owner typed into an FTS5 trigram query. Every word must match (AND); a word with
 * phone punctuation also matches its digits-only form, so "555-01" and "55501" find the same lead.
 * Words under 3 characters cannot use the trigram index and are matched with LIKE instead.
 */
export interface ParsedSearch {
  /** FTS5 MATCH expression, or null when no word is long enough for the index. */
  match: string | null;
  /** Short words, matched as substrings of name, email or phone. */
  short: string[];
}

const quote = (term: string) => `"${term.replace(/"/g, '""')}"`;

export function parseSearch(input: string | undefined): ParsedSearch {
  const words = (input ?? '')
    .normalize('NFC')
    .split(/\s+/)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, 12);
  const clauses: string[] = [];
  const short: string[] = [];
  for (const word of words) {
    if ([...word].length < 3) {
      short.push(word);
      continue;
    }
    const digits = word.replace(/\D+/g, '');
    const phoneLike = /^[\d\s+().\-/]+$/.test(word) && digits.length >= 3 && digits !== word;
    clauses.push(phoneLike ? `(${quote(word)} OR phone_digits : ${quote(digits)})` : quote(word));
  }
  return { match: clauses.length ? clauses.join(' AND ') : null, short };
}

/** Escapes LIKE wildcards so a typed % or _ is matched literally (used with ESCAPE '\'). */
export function likeFragment(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
