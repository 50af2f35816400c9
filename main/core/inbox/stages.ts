import { ApiError, defaultStages } from '../../../shared/index';
import type { Db } from '../store/db';

const key = 'inbox.stages';

/** The owner's pipeline stages in order; a fresh install starts with the defaults. */
export function readStages(db: Db): string[] {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
  if (!row) return [...defaultStages];
  try {
    const parsed = JSON.parse(row.value) as unknown;
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((s) => typeof s === 'string')) return parsed;
  } catch {
    // A damaged value falls back to the defaults rather than leaving the owner without a pipeline.
  }
  return [...defaultStages];
}

/**
 * Replaces the list. Leads already in a stage that is removed keep it (their history stays true);
 * the UI shows such a status as is and offers the current stages to move them on.
 */
export function writeStages(db: Db, stages: string[]): string[] {
  const seen = new Set<string>();
  for (const s of stages) {
    const k = s.toLocaleLowerCase();
    if (seen.has(k)) throw new ApiError({ code: 'invalid_input', message: `The stage "${s}" is listed twice.` });
    seen.add(k);
  }
  db.prepare('INSERT INTO kv(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(stages),
  );
  return stages;
}
