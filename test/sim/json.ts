/**
 * Serialises a webhook body the way Meta sends it: non-ASCII characters escaped as \uXXXX
 * (lowercase hex) and "/" as "\/". Meta signs these exact bytes (meta-platform.md §2.3), so a
 * receiver that re-serialises the parsed JSON before checking the signature fails on any name
 * with an accent, a script other than Latin, or a URL: exactly the bug this catches.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff/]/g, (ch) =>
    ch === '/' ? '\\/' : '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}
