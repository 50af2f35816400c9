/**
 * What a failed chaos run needs to be understood: the desktop's connection status, its warnings
 * and errors, the relay's metrics and its last non-routine log lines. Printed to stderr on failure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChaosStack } from './stack';

function tail(file: string, keep: (line: string) => boolean, n: number): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l && keep(l))
    .slice(-n);
}

export async function diagnose(s: ChaosStack, label: string): Promise<string> {
  const out: string[] = [`--- chaos diagnostics: ${label}`];
  const status = await s.desktop.call('connection.status', {}).catch((e: unknown) => String(e));
  out.push(`desktop connection.status: ${JSON.stringify(status)}`);
  const metrics = await fetch(`${s.relay.url}/metrics`).then(
    (r) => r.text(),
    (e: unknown) => `unreachable: ${String(e)}`,
  );
  out.push('relay metrics:', ...metrics.split('\n').filter((l) => l && !l.startsWith('#')));
  const logs = join(s.desktopDir, 'logs');
  for (const f of existsSync(logs) ? readdirSync(logs) : [])
    out.push(`desktop ${f}:`, ...tail(join(logs, f), (l) => !l.includes('"level":"info"'), 25));
  out.push('desktop stderr:', ...tail(join(s.desktopDir, 'core-process.stderr'), () => true, 15));
  if (s.relay.process)
    out.push(
      'relay log:',
      ...tail(
        s.relay.process.logFile,
        (l) => !/install connected|relay listening|relay ready|relay stopped/.test(l),
        25,
      ),
    );
  const text = out.join('\n');
  process.stderr.write(text + '\n');
  return text;
}
