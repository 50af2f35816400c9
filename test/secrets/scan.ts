/**
 * Byte-level search for secrets in files: every file under the given roots is read raw (SQLite
 * main files, -wal and -shm included, so a token once written and later deleted still shows up in
 * free pages), and each secret is looked for as written, URL-encoded, JSON-escaped and base64.
 * Fragments catch a logger that "redacts" by truncating: any 16-character slice of a long
 * secret's start, middle or end counts as a leak.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Secret {
  /** What it is, for the failure message (never the value itself). */
  label: string;
  value: string;
}

export interface Hit {
  file: string;
  label: string;
  form: string;
  offset: number;
}

function forms(value: string): { form: string; bytes: Buffer }[] {
  const out = new Map<string, string>([
    ['raw', value],
    ['url-encoded', encodeURIComponent(value)],
    ['json-escaped', JSON.stringify(value).slice(1, -1)],
    ['base64', Buffer.from(value).toString('base64').replace(/=+$/, '')],
  ]);
  if (value.length >= 32) {
    const mid = Math.floor(value.length / 2) - 8;
    out.set('fragment (start)', value.slice(0, 16));
    out.set('fragment (middle)', value.slice(mid, mid + 16));
    out.set('fragment (end)', value.slice(-16));
  }
  const seen = new Set<string>();
  const result: { form: string; bytes: Buffer }[] = [];
  for (const [form, text] of out) {
    if (seen.has(text) || text.length < 8) continue;
    seen.add(text);
    result.push({ form, bytes: Buffer.from(text, 'utf8') });
    // SQLite and Windows-y writers may hold UTF-16 text.
    result.push({ form: `${form} (utf-16le)`, bytes: Buffer.from(text, 'utf16le') });
  }
  return result;
}

export function listFiles(root: string): string[] {
  let st;
  try {
    st = statSync(root);
  } catch {
    return [];
  }
  if (st.isFile()) return [root];
  if (!st.isDirectory()) return [];
  return readdirSync(root).flatMap((name) => listFiles(join(root, name)));
}

export function scanForSecrets(
  roots: string[],
  secrets: Secret[],
): { hits: Hit[]; filesScanned: number; bytesScanned: number } {
  const files = [...new Set(roots.flatMap(listFiles))];
  const patterns = secrets
    .filter((s) => s.value.length >= 8)
    .map((s) => ({ label: s.label, forms: forms(s.value) }));
  const hits: Hit[] = [];
  let bytesScanned = 0;
  for (const file of files) {
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch {
      continue;
    }
    bytesScanned += buf.length;
    for (const p of patterns) {
      for (const f of p.forms) {
        const offset = buf.indexOf(f.bytes);
        if (offset >= 0) hits.push({ file, label: p.label, form: f.form, offset });
      }
    }
  }
  return { hits, filesScanned: files.length, bytesScanned };
}
