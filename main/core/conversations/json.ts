import { InvalidEntry } from '../ingest/registry';

/**
 * Narrow readers for Meta's JSON: webhook payloads are untrusted input, so every field is checked
 * where it is read instead of being cast to an interface it may not match.
 */
export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): Obj | null {
  return isObj(v) ? v : null;
}

export function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A field that must be an array when present: anything else means the entry is not Meta's shape. */
export function optionalArray(entry: Obj, key: string): unknown[] {
  const v = entry[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new InvalidEntry(`entry.${key} is not an array`);
  return v;
}

export function requireString(v: unknown, what: string): string {
  const s = str(v);
  if (!s) throw new InvalidEntry(`${what} is missing`);
  return s;
}

/** Meta's ISO times come as `2026-11-24T07:00:00+0000`; Date.parse wants `+00:00`. */
export function parseMetaTime(v: unknown): number | null {
  if (typeof v === 'number') return v > 1e12 ? v : v * 1000;
  const s = str(v);
  if (!s) return null;
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(t) ? t : null;
}

/** One line for list rows and notifications. */
export function preview(text: string | null, fallback: string): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!t) return fallback;
  return t.length > 120 ? `${t.slice(0, 119)}…` : t;
}
