/**
 * `npm test`: type-check, lint, unit + integration (vitest), end-to-end (Playwright), then one
 * plain summary line. Every step runs even when an earlier one fails, so one run shows all damage.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { rerunInsidePrivateKeyringIfNeeded } from '../main/tools/privateKeyring';

// The keychain tests need a Secret Service: without a desktop session, run inside a private one.
rerunInsidePrivateKeyringIfNeeded(process.cwd(), 'test/runAll.ts', 'running the tests');

interface Step {
  name: string;
  cmd: string[];
  summarise?: () => string;
}

const vitestJson = 'test-results/vitest.json';
const playwrightJson = 'test-results/playwright.json';
mkdirSync('test-results', { recursive: true });
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });

const steps: Step[] = [
  // After `npm start` the native modules may be built for Electron; switch back only if so.
  { name: 'native-modules', cmd: ['node', 'main/tools/ensure-node-abi.mjs'] },
  { name: 'typecheck', cmd: ['npx', 'tsc', '-b'] },
  { name: 'lint', cmd: ['npx', 'eslint', '.', '--max-warnings', '0'] },
  {
    name: 'unit+integration',
    cmd: [
      'npx',
      'vitest',
      'run',
      '--config',
      'test/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${vitestJson}`,
    ],
    summarise: () => {
      const r = readJson(vitestJson) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTodoTests: number;
      } | null;
      return r
        ? `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`
        : 'no report';
    },
  },
  {
    name: 'e2e',
    cmd: ['npx', 'playwright', 'test', '--config', 'test/playwright.config.ts'],
    summarise: () => {
      const r = readJson(playwrightJson) as {
        stats: { expected: number; unexpected: number; skipped: number; flaky: number };
      } | null;
      return r
        ? `${r.stats.expected} passed, ${r.stats.unexpected} failed, ${r.stats.skipped} skipped, ${r.stats.flaky} flaky`
        : 'no report';
    },
  },
];

const only = process.argv.slice(2);
const results: string[] = [];
let failed = false;
for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  const started = Date.now();
  console.log(`\n=== ${step.name}: ${step.cmd.join(' ')}`);
  const r = spawnSync(step.cmd[0]!, step.cmd.slice(1), { stdio: 'inherit' });
  const ok = r.status === 0;
  failed ||= !ok;
  const detail = step.summarise ? ` (${step.summarise()})` : '';
  results.push(
    `${step.name} ${ok ? 'ok' : 'FAILED'}${detail} in ${((Date.now() - started) / 1000).toFixed(0)}s`,
  );
}
console.log(`\nSUMMARY: ${failed ? 'FAILED' : 'PASSED'} — ${results.join('; ')}`);
process.exit(failed ? 1 : 0);

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
