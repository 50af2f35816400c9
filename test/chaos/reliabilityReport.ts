/**
 * `npx tsx test/chaos/reliabilityReport.ts`: runs the fault, chaos, fuzz and secrets suites once
 * (inside a private keyring on headless Linux, like CI) and rewrites the "Last results" block of
 * docs/RELIABILITY.md from vitest's JSON report, so the document states what actually ran, when,
 * on which machine, and how long each proof took.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rerunInsidePrivateKeyringIfNeeded } from '../../main/tools/privateKeyring';

const root = resolve(import.meta.dirname, '../..');
const doc = join(root, 'docs/RELIABILITY.md');
const json = join(root, 'test-results/reliability.json');
const suites = ['test/fuzz', 'test/chaos', 'test/secrets'];
const start = '<!-- results:start -->';
const end = '<!-- results:end -->';

interface AssertionResult {
  fullName: string;
  status: string;
  duration?: number;
  failureMessages?: string[];
}
interface Report {
  testResults: { name: string; assertionResults: AssertionResult[] }[];
}

mkdirSync(join(root, 'test-results'), { recursive: true });
rerunInsidePrivateKeyringIfNeeded(root, fileURLToPath(import.meta.url), 'running the reliability suites');
const vitest = [
  'npx',
  'vitest',
  'run',
  // The config lives in test/ (the root vite.config.ts is the renderer's, where no test is found).
  '--config',
  'test/vitest.config.ts',
  ...suites,
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${json}`,
];
const started = Date.now();
const loadBefore = os.loadavg()[0]!;
const run = spawnSync(vitest[0]!, vitest.slice(1), { cwd: root, stdio: 'inherit' });
const tookS = Math.round((Date.now() - started) / 1000);
if (!existsSync(json)) {
  process.stderr.write('no vitest report was written\n');
  process.exit(1);
}
const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
const rows = report.testResults.flatMap((f) =>
  f.assertionResults.map((a) => {
    const status =
      a.status === 'passed' ? 'passed' : a.status === 'failed' ? '**FAILED**' : a.status;
    const why = a.failureMessages?.[0]?.split('\n')[0]?.replaceAll('|', '\\|').slice(0, 140);
    return `| \`${relative(root, f.name)}\` | ${a.fullName.replaceAll('|', '\\|')} | ${status}${why ? `: ${why}` : ''} | ${((a.duration ?? 0) / 1000).toFixed(1)} s |`;
  }),
);
const block = [
  start,
  `Last run: ${when} UTC, \`npx tsx test/chaos/reliabilityReport.ts\` (vitest on ${suites.join(', ')}), ${tookS} s wall clock in total,`,
  `on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version};`,
  `1-minute load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0]!.toFixed(1)} after (other work shares the machine: durations are not benchmarks).`,
  '',
  '| File | Test | Result | Took |',
  '|---|---|---|---:|',
  ...rows,
  end,
].join('\n');
const text = readFileSync(doc, 'utf8');
const a = text.indexOf(start);
const b = text.indexOf(end);
writeFileSync(
  doc,
  a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + end.length) : `${text}\n${block}\n`,
);
process.stderr.write(`wrote ${doc}\n`);
process.exit(run.status ?? 1);
