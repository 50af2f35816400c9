import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { LeadFilter, LeadSort } from '../../../shared/api/leads';
import type { Db } from '../store/db';
import { leadRowColumns } from '../store/leads';
import { csvHeader, csvLine, vcard, type ExportRecord } from './exportFormats';
import { buildWhere, orderedSelect } from './query';

export interface ExportRequest {
  format: 'csv' | 'vcard';
  filter: LeadFilter;
  sort: LeadSort;
  ids?: string[] | undefined;
}

export interface ExportProgress {
  exportId: string;
  file: string;
  written: number;
  total: number;
  done: boolean;
  error: string | null;
}

const chunkRows = 2000;

/**
 * Streams a view to a file under `<dataDir>/exports` and reports progress. It reads through its own
 * read-only connection (a consistent WAL snapshot) and yields to the event loop after every chunk,
 * so the core keeps answering the UI while a million rows are written. The file appears under its
 * final name only when complete.
 */
export function startExport(
  db: Db,
  dataDir: string,
  req: ExportRequest,
  now: number,
  report: (p: ExportProgress) => void,
): { exportId: string; file: string } {
  const dir = join(dataDir, 'exports');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date(now).toISOString().replace(/[:T]/g, '-').slice(0, 19);
  const exportId = randomUUID();
  const file = join(dir, `leads-${stamp}-${exportId.slice(0, 8)}.${req.format === 'csv' ? 'csv' : 'vcf'}`);
  const filter: LeadFilter = req.ids ? {} : req.filter;
  const where = buildWhere(filter);
  const total = req.ids
    ? req.ids.length
    : (db.prepare(`SELECT count(*) FROM ${where.from} ${where.sql}`).pluck().get(...where.params) as number);
  const progress = (written: number, done: boolean, error: string | null) =>
    report({ exportId, file, written, total, done, error });

  void (async () => {
    const partial = `${file}.part`;
    const reader = new Database(db.name, { readonly: true, fileMustExist: true });
    const out = createWriteStream(partial, { encoding: 'utf8' });
    let written = 0;
    try {
      const columns = `${leadRowColumns}, l.notes, l.answers`;
      const select = req.ids
        ? {
            sql: `SELECT ${columns} FROM leads l LEFT JOIN pages p ON p.id = l.page_id LEFT JOIN forms f ON f.id = l.form_id
                   WHERE l.id IN (SELECT value FROM json_each(?)) ORDER BY l.created_time DESC, l.id`,
            params: [JSON.stringify(req.ids)],
          }
        : orderedSelect(filter, req.sort, columns);
      const render = req.format === 'csv' ? csvLine : vcard;
      if (req.format === 'csv') out.write('\uFEFF' + csvHeader.join(',') + '\r\n');
      let buffer = '';
      for (const record of reader.prepare(select.sql).iterate(...select.params) as Iterable<ExportRecord>) {
        buffer += render(record);
        written += 1;
        if (written % chunkRows === 0) {
          if (!out.write(buffer)) await once(out, 'drain');
          buffer = '';
          progress(written, false, null);
          await new Promise((r) => setImmediate(r));
        }
      }
      out.end(buffer);
      await once(out, 'finish');
      renameSync(partial, file);
      progress(written, true, null);
    } catch (error) {
      out.destroy();
      rmSync(partial, { force: true });
      progress(written, true, error instanceof Error ? error.message : String(error));
    } finally {
      reader.close();
    }
  })();
  return { exportId, file };
}
