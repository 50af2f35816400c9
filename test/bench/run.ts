/**
 * `npm run bench [-- --quick] [-- --only name]`: finds test/bench/*.bench.ts, runs each in its own
 * process with a fresh temp folder, prints one JSON line per figure on stdout (everything else on
 * stderr), keeps going past a failing benchmark, then writes docs/PERFORMANCE.md.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  previousOutcomes,
  previousSuite,
  writeReport,
  type BenchOutcome,
  type SuiteRun,
} from './report';
import type { ChildMessage } from './runOne';
import type { Figure } from './types';
import { rerunInsidePrivateKeyringIfNeeded } from '../../main/tools/privateKeyring';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const reportFile = join(root, 'docs/PERFORMANCE.md');
/** The whole quick suite must finish in under 3 minutes; leave room for process start-up. */
const quickTotalMs = 170_000;
/** Even a full run stops a benchmark that hangs. */
const fullPerBenchMs = 30 * 60_000;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.flatMap((a, i) => (a === '--only' && args[i + 1] ? [args[i + 1]!] : []));
/** `--budget <seconds>`: the quick suite's total time budget (default 170). */
const budgetArg = Number(args[args.indexOf('--budget') + 1]);
const quickBudgetMs = args.includes('--budget') && budgetArg > 0 ? budgetArg * 1000 : quickTotalMs;

const figureKeys = ['name', 'value', 'unit', 'limit', 'limit_name', 'runs', 'p50', 'p99'] as const;

/** Exactly the documented JSON shape, in the documented key order, whatever the benchmark returned. */
function figureLine(f: Figure): string {
  const out: Record<string, unknown> = {};
  for (const k of figureKeys) {
    const v = f[k] as unknown;
    out[k] = typeof v === 'number' && !Number.isFinite(v) ? null : (v ?? null);
  }
  return JSON.stringify(out);
}

function isFigure(x: unknown): x is Figure {
  const f = x as Figure;
  return (
    !!f && typeof f.name === 'string' && typeof f.value === 'number' && typeof f.unit === 'string'
  );
}

/** `--only x`: the benchmark named exactly x, or else every benchmark whose name contains x. */
function discoverAll(): { name: string; file: string }[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => ({ name: basename(f, '.bench.ts'), file: join(here, f) }));
}

function discover(): { name: string; file: string }[] {
  const all = discoverAll();
  if (only.length === 0) return all;
  return all.filter((b) =>
    only.some((o) =>
      all.some((x) => x.name === o) ? b.name === o : b.name.includes(o) || b.file.endsWith(o),
    ),
  );
}

function runBenchmark(
  bench: { name: string; file: string },
  budgetMs: number,
): Promise<BenchOutcome> {
  const tmp = mkdtempSync(join(tmpdir(), `lead-inbox-bench-${bench.name}-`));
  const started = Date.now();
  const outcome: BenchOutcome = {
    bench: bench.name,
    status: 'ok',
    detail: null,
    durationMs: 0,
    quick,
    date: new Date().toISOString(),
    figures: [],
  };
  return new Promise((resolveOutcome) => {
    const child = fork(join(here, 'runOne.ts'), [bench.file, tmp, quick ? '1' : '0'], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      cwd: root,
      // The child's own stdout must not mix with the JSON lines: send it to our stderr.
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, LEAD_INBOX_BENCH_BUDGET_MS: String(budgetMs) },
    });
    child.stdout?.pipe(process.stderr);
    let gotDone = false;
    const timer = setTimeout(() => {
      outcome.status = 'over budget';
      outcome.detail = `stopped after its ${Math.round(budgetMs / 1000)} s budget`;
      process.stderr.write(
        `bench ${bench.name}: OVER BUDGET (${Math.round(budgetMs / 1000)} s), stopping it\n`,
      );
      child.kill('SIGKILL');
    }, budgetMs);
    child.on('message', (msg: ChildMessage) => {
      if (msg.type === 'figure' && isFigure(msg.figure)) {
        outcome.figures.push(msg.figure);
        process.stdout.write(figureLine(msg.figure) + '\n');
      } else if (msg.type === 'figure') {
        process.stderr.write(
          `bench ${bench.name}: ignored a malformed figure ${JSON.stringify(msg.figure)}\n`,
        );
      } else if (msg.type === 'error') {
        outcome.status = 'failed';
        outcome.detail = msg.message;
      } else if (msg.type === 'done') {
        gotDone = true;
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (outcome.status === 'ok' && (!gotDone || code !== 0)) {
        outcome.status = 'failed';
        outcome.detail = `exited with ${signal ?? code} before finishing`;
      }
      if (outcome.status === 'failed') {
        process.stderr.write(`bench ${bench.name}: FAILED: ${outcome.detail}\n`);
      }
      outcome.durationMs = Date.now() - started;
      rmSync(tmp, { recursive: true, force: true });
      resolveOutcome(outcome);
    });
  });
}

/**
 * Quick mode runs the benchmarks that took least time last time first: each gets an even share of
 * what is left, so the fast ones finish early and hand their unused time to the heavy ones.
 */
function fastestFirst(list: { name: string; file: string }[]): { name: string; file: string }[] {
  const took = new Map(previousOutcomes(reportFile).map((o) => [o.bench, o.durationMs]));
  const known = [...took.values()].sort((a, b) => a - b);
  const typical = known[Math.floor(known.length / 2)] ?? 0;
  return [...list].sort((a, b) => (took.get(a.name) ?? typical) - (took.get(b.name) ?? typical));
}

/**
 * The report keeps the latest result per benchmark and mode (quick and full side by side, each
 * dated). A run that failed or went over budget does not wipe an earlier good result: the suite
 * record says it failed, the rows keep the last real figures. Benchmarks whose file is gone drop out.
 */
function mergeOutcomes(previous: BenchOutcome[], latest: BenchOutcome[]): BenchOutcome[] {
  const exists = new Set(discoverAll().map((b) => b.name));
  const key = (o: BenchOutcome) => `${o.bench}|${o.quick ? 'quick' : 'full'}`;
  const merged = new Map(previous.filter((o) => exists.has(o.bench)).map((o) => [key(o), o]));
  for (const o of latest) {
    const before = merged.get(key(o));
    if (o.status === 'ok' || !before || before.status !== 'ok') merged.set(key(o), o);
  }
  return [...merged.values()].sort(
    (a, b) => a.bench.localeCompare(b.bench) || Number(a.quick) - Number(b.quick),
  );
}

async function main(): Promise<void> {
  // Benchmarks that run the whole app use the real keychain (keytar → Secret Service).
  rerunInsidePrivateKeyringIfNeeded(root, fileURLToPath(import.meta.url), 'running the benchmarks');
  const benches = quick ? fastestFirst(discover()) : discover();
  if (benches.length === 0) {
    process.stderr.write(`no benchmark matches ${only.join(', ') || 'test/bench/*.bench.ts'}\n`);
    process.exit(1);
  }
  const lastQuickMs = new Map(
    previousOutcomes(reportFile)
      .filter((o) => o.quick && o.status === 'ok')
      .map((o) => [o.bench, o.durationMs]),
  );
  const suiteStarted = Date.now();
  const load1 = loadavg()[0] ?? 0;
  const deadline = Date.now() + quickBudgetMs;
  const outcomes: BenchOutcome[] = [];
  for (const [i, bench] of benches.entries()) {
    // Quick mode: each benchmark gets at least an even share of what is left; if the ones after
    // it took less than their share last time, it may also use the difference. The total stays
    // under the budget either way.
    const left = deadline - Date.now();
    const rest = benches.slice(i + 1);
    const evenShare = Math.floor(left / (benches.length - i));
    const reservedForRest = rest.reduce(
      (sum, b) => sum + Math.min(evenShare, 1.3 * (lastQuickMs.get(b.name) ?? evenShare)),
      0,
    );
    const budgetMs = quick
      ? Math.max(2_000, evenShare, Math.floor(left - reservedForRest))
      : fullPerBenchMs;
    process.stderr.write(
      `bench ${bench.name}: running${quick ? ` (quick, budget ${Math.round(budgetMs / 1000)} s)` : ''}\n`,
    );
    const outcome = await runBenchmark(bench, budgetMs);
    process.stderr.write(
      `bench ${bench.name}: ${outcome.status} in ${(outcome.durationMs / 1000).toFixed(1)} s, ${outcome.figures.length} figures\n`,
    );
    outcomes.push(outcome);
  }

  const all = mergeOutcomes(previousOutcomes(reportFile), outcomes);
  const suite: SuiteRun | null = only.length
    ? previousSuite(reportFile)
    : {
        date: new Date(suiteStarted).toISOString(),
        quick,
        tookMs: Date.now() - suiteStarted,
        load1,
        benches: outcomes.map((o) => ({
          bench: o.bench,
          status: o.status,
          durationMs: o.durationMs,
        })),
      };
  writeReport(reportFile, all, new Date(), suite);

  const bad = outcomes.filter((o) => o.status !== 'ok');
  process.stderr.write(
    `bench: ${outcomes.length - bad.length}/${outcomes.length} benchmarks ok` +
      (bad.length ? `; not ok: ${bad.map((o) => `${o.bench} (${o.status})`).join(', ')}` : '') +
      `; wrote ${reportFile}\n`,
  );
  process.exit(bad.length ? 1 : 0);
}

void main();
