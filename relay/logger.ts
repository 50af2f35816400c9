import type { Logger } from '../main/core/ports';

export type { Logger };

/**
 * Structured JSON log lines on stdout/stderr. Callers pass ids and counts only: never bodies,
 * tokens, names, phone numbers or message text (the relay logs no personal data).
 */
export function jsonLogger(component = 'relay'): Logger {
  const write = (level: string, msg: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ t: new Date().toISOString(), level, component, msg, ...fields });
    if (level === 'info') process.stdout.write(line + '\n');
    else process.stderr.write(line + '\n');
  };
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
