/**
 * Strips anything token-like from log fields before they are written. Belt and braces: code should
 * never log a token, but an error message from fetch or Meta can echo a URL or a header, and a log
 * file is the first thing an owner attaches to a support mail.
 */
const patterns: [RegExp, string][] = [
  // Meta user/page/system-user tokens start with EAA.
  [/EAA[A-Za-z0-9]{10,}/g, '[redacted-token]'],
  [
    /(access_token|input_token|fb_exchange_token|client_secret|code_verifier|code)=([^&\s"']+)/gi,
    '$1=[redacted]',
  ],
  [/(bearer)\s+[^\s"',;]+/gi, '$1 [redacted]'],
  // Long base64/base64url/hex runs: install tokens, secrets, signed requests.
  [/[A-Za-z0-9+_.-]{32,}={0,2}/g, '[redacted]'],
];

export function redactString(text: string): string {
  let out = text;
  for (const [re, replacement] of patterns) out = out.replace(re, replacement);
  return out;
}

/** Keys whose values are secret or personal whatever they look like. */
const secretKeys =
  /token|secret|password|authorization|cookie|verifier|email|phone|name$|body|text/i;

export function redactFields(fields: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (secretKeys.test(key) && !/^(method|event|kind|code)$/.test(key)) {
      out[key] = '[redacted]';
    } else {
      out[key] = redactValue(value, depth);
    }
  }
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value instanceof Error) return redactString(`${value.name}: ${value.message}`);
  if (Array.isArray(value)) return depth > 3 ? '[…]' : value.map((v) => redactValue(v, depth + 1));
  if (value && typeof value === 'object') {
    return depth > 3 ? '[…]' : redactFields(value as Record<string, unknown>, depth + 1);
  }
  return value;
}
