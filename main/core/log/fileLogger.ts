import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../ports';
import { redactFields, redactString } from './redact';

export interface FileLoggerOptions {
  /** Folder for the log files, usually <dataDir>/logs. */
  dir: string;
  fileName?: string;
  /** Rotate when the current file passes this size. */
  maxBytes?: number;
  /** How many files to keep in total (current + rotated). */
  maxFiles?: number;
  /** Also echo lines here (e.g. stderr in development). */
  echo?: (line: string) => void;
  now?: () => number;
}

export interface FileLogger extends Logger {
  readonly file: string;
}

/**
 * JSON-lines log with size rotation (lead-inbox.log → .1 → .2). Synchronous appends: log volume is
 * low, and a crash must not lose the lines that explain it. Every line goes through the redactor.
 */
export function createFileLogger(opts: FileLoggerOptions): FileLogger {
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const maxFiles = Math.max(1, opts.maxFiles ?? 3);
  const file = join(opts.dir, opts.fileName ?? 'lead-inbox.log');
  const now = opts.now ?? Date.now;
  mkdirSync(opts.dir, { recursive: true });
  let size = existsSync(file) ? statSync(file).size : 0;

  const rotate = () => {
    rmSync(`${file}.${maxFiles - 1}`, { force: true });
    for (let i = maxFiles - 2; i >= 1; i--) {
      if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    if (maxFiles > 1) renameSync(file, `${file}.1`);
    else rmSync(file, { force: true });
    size = 0;
  };

  const write = (level: string, msg: string, fields?: Record<string, unknown>) => {
    const line =
      JSON.stringify({
        t: new Date(now()).toISOString(),
        level,
        msg: redactString(msg),
        ...(fields ? redactFields(fields) : {}),
      }) + '\n';
    try {
      if (size > 0 && size + line.length > maxBytes) rotate();
      appendFileSync(file, line);
      size += Buffer.byteLength(line);
    } catch {
      // A full disk must not take the app down with it; the line is lost, the app carries on.
    }
    opts.echo?.(line.trimEnd());
  };

  return {
    file,
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}
