/**
 * Writes docs/PERFORMANCE.md from one `npm run bench` run. The figures are also embedded as JSON
 * in a comment so a later `--only name` run can replace just that benchmark's rows.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Figure } from './types';

export interface BenchOutcome {
  bench: string;
  status: 'ok' | 'failed' | 'over budget';
  detail: string | null;
  durationMs: number;
  quick: boolean;
  date: string;
  figures: Figure[];
}

/** The figures the project promises (issue 9); the report says which ones a run did not produce. */
export const requiredFigures: { title: string; match: RegExp; aim: string; fullOnly?: boolean }[] = [
  { title: 'Relay accepted events/s', match: /relay.*accept/i, aim: '≥ 5,000 events/s on 2 cores' },
  {
    title: 'Webhook → relay → desktop committed lead, p50/p99',
    match: /webhook.*committed/i,
    aim: 'p99 < 50 ms',
  },
  {
    title: 'Webhook → lead visible in the UI, p50/p99',
    match: /webhook.*lead visible in the ui/i,
    aim: 'within a second',
  },
  { title: 'Offline replay events/s', match: /replay/i, aim: '≥ 5,000 events/s' },
  {
    title: 'Backfill leads/s',
    match: /backfill/i,
    aim: '≥ 20,000 leads/s, within 3x of raw insert',
  },
  // Quick mode measures the inbox at 100,000 leads: only full runs speak for 1,000,000.
  {
    title: 'FTS search p95 at 1,000,000 leads',
    match: /(fts|search_sqlite|search_end_to_end|search p95)/i,
    aim: '< 20 ms in SQLite, < 50 ms end to end',
    fullOnly: true,
  },
  {
    title: 'Lead page query p95 at 1,000,000 leads',
    match: /(page_query_100|page query|lead page)/i,
    aim: '< 5 ms',
    fullOnly: true,
  },
  {
    title: 'Desktop core RSS with 1,000,000 leads',
    match: /(core_rss|desktop core rss|core rss)/i,
    aim: '',
    fullOnly: true,
  },
  { title: 'Relay RSS with 2,000 idle installs', match: /relay.*rss.*idle/i, aim: '< 150 MB' },
  {
    title: 'App start to first rows at 1,000,000 leads',
    match: /(app_start_to_first_rows|app start to first rows)/i,
    aim: '< 1 s',
    fullOnly: true,
  },
];

/** One whole-suite run (no --only): whether it fitted its time budget, and what did not. */
export interface SuiteRun {
  date: string;
  quick: boolean;
  tookMs: number;
  /** 1-minute load average when the run started: other work on the machine skews everything. */
  load1: number;
  benches: { bench: string; status: BenchOutcome['status']; durationMs: number }[];
}

const suiteStart = '<!-- bench-suite-json';
const suiteEnd = 'bench-suite-json -->';
const jsonStart = '<!-- bench-results-json';
const jsonEnd = 'bench-results-json -->';

export function machine(): Record<string, string> {
  const cpus = os.cpus();
  return {
    CPU: `${cpus[0]?.model.trim() ?? 'unknown'}`,
    Cores: String(cpus.length),
    RAM: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    Node: process.version,
  };
}

/** Outcomes from the previous report, so an `--only` run keeps the other benchmarks' rows. */
export function previousOutcomes(file: string): BenchOutcome[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(jsonStart);
  const b = text.indexOf(jsonEnd);
  if (a < 0 || b < a) return [];
  try {
    return JSON.parse(text.slice(a + jsonStart.length, b)) as BenchOutcome[];
  } catch {
    return [];
  }
}

function fmt(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function ratio(f: Figure): string {
  if (f.limit === null || f.limit === 0 || !Number.isFinite(f.limit)) return '–';
  return `${(f.value / f.limit).toFixed(2)}×`;
}

export function previousSuite(file: string): SuiteRun | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(suiteStart);
  const b = text.indexOf(suiteEnd);
  if (a < 0 || b < a) return null;
  try {
    return JSON.parse(text.slice(a + suiteStart.length, b)) as SuiteRun;
  } catch {
    return null;
  }
}

function suiteLines(suite: SuiteRun | null): string[] {
  if (!suite) return ['No whole-suite run recorded yet.'];
  const over = suite.benches.filter((b) => b.status !== 'ok');
  return [
    `\`npm run bench${suite.quick ? ' -- --quick' : ''}\` on ${suite.date.slice(0, 16).replace('T', ' ')} UTC took ` +
      `${(suite.tookMs / 1000).toFixed(0)} s for ${suite.benches.length} benchmarks (1-minute load average ${suite.load1.toFixed(1)} on ` +
      `${machine().Cores} cores at the start).` +
      (over.length
        ? ` Not ok: ${over.map((b) => `${b.bench} (${b.status}, ${(b.durationMs / 1000).toFixed(0)} s)`).join(', ')}.` +
          ' Rows of those benchmarks in the tables above, if any, come from earlier or separate `--only` runs (see their dates).'
        : ' Every benchmark finished within its share of the budget.'),
  ];
}

export function renderReport(
  outcomes: BenchOutcome[],
  when: Date,
  suite: SuiteRun | null = null,
): string {
  const m = machine();
  const all = outcomes.flatMap((o) => o.figures.map((f) => ({ f, o })));
  const lines: string[] = [
    '# Performance',
    '',
    `Generated by \`npm run bench\` (test/bench/run.ts) on ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC. Do not edit by hand: run the benchmarks again.`,
    '',
    'Every figure sits beside a **limit measured in the same run on the same machine** (a bare `node:http`',
    'server under the same load generator, a loopback WebSocket round trip, raw batched SQLite inserts, a raw',
    'indexed SQLite query). "Value ÷ limit" reads as a fraction of the ceiling for rates and as "times the',
    'floor" for latencies. Values are medians over `runs` runs; p50/p99 are over all samples.',
    '',
    '## Figures',
    '',
    '| Figure | Value | Unit | p50 | p99 | Limit (same run) | Value ÷ limit | Runs | Benchmark | Mode |',
    '|---|---:|---|---:|---:|---|---:|---:|---|---|',
  ];
  for (const { f, o } of all) {
    const limit = f.limit === null ? '–' : `${fmt(f.limit)} (${f.limit_name ?? 'baseline'})`;
    lines.push(
      `| ${f.name} | ${fmt(f.value)} | ${f.unit} | ${fmt(f.p50)} | ${fmt(f.p99)} | ${limit} | ${ratio(f)} | ${f.runs} | ${o.bench} | ${o.quick ? 'quick' : 'full'} |`,
    );
  }
  if (all.length === 0) lines.push('| (no figures yet) | | | | | | | | | |');
  lines.push('', '## Promised figures', '', '| Figure | Aim | Measured as |', '|---|---|---|');
  for (const r of requiredFigures) {
    const hits = all
      .filter(({ f, o }) => r.match.test(f.name) && !(r.fullOnly && o.quick))
      .map(
        ({ f, o }) =>
          `${f.name}: **${fmt(f.value)} ${f.unit}**` +
          (f.p99 !== null ? ` (p50 ${fmt(f.p50)}, p99 ${fmt(f.p99)})` : '') +
          ` [${o.quick ? 'quick' : 'full'}]`,
      );
    lines.push(
      `| ${r.title} | ${r.aim || '–'} | ${hits.length ? hits.join('<br>') : '**not measured yet**'} |`,
    );
  }
  lines.push(
    '',
    '## Benchmarks in this report',
    '',
    '| Benchmark | Status | Took | Mode | Date |',
    '|---|---|---:|---|---|',
  );
  for (const o of outcomes) {
    const status = o.detail
      ? `${o.status}: ${o.detail.split('\n')[0]!.slice(0, 160).replaceAll('|', '\\|')}`
      : o.status;
    lines.push(
      `| ${o.bench} | ${status} | ${(o.durationMs / 1000).toFixed(1)} s | ${o.quick ? 'quick' : 'full'} | ${o.date.slice(0, 16).replace('T', ' ')} |`,
    );
  }
  lines.push('', '## Last whole-suite run', '', ...suiteLines(suite));
  lines.push('', '## Machine', '', '| | |', '|---|---|');
  for (const [k, v] of Object.entries(m)) lines.push(`| ${k} | ${v} |`);
  lines.push(
    '',
    '## How to reproduce',
    '',
    '```sh',
    'npm run bench                  # every benchmark, full sizes (1,000,000-lead figures take minutes)',
    'npm run bench -- --quick       # smaller inputs, fewer runs, under 3 minutes in total',
    'npm run bench -- --only relay  # one benchmark (exact name, else every name containing it)',
    '```',
    '',
    'The report keeps the latest good result per benchmark and mode (quick and full side by side, each',
    'dated); a failed or over-budget run does not erase earlier figures, the whole-suite record says so.',
    'Each benchmark runs in its own Node process with a fresh temporary folder. stdout carries one JSON',
    'line per figure (`{"name","value","unit","limit","limit_name","runs","p50","p99"}`); progress goes to',
    'stderr. In `--quick` mode each benchmark gets a share of a 170 s budget and is stopped (and marked',
    '"over budget") when it overruns. Benchmarks are files `test/bench/<name>.bench.ts` that',
    'default-export a `Benchmark` (test/bench/types.ts); limits come from test/bench/baselines.ts.',
    '',
    suiteStart,
    JSON.stringify(suite),
    suiteEnd,
    jsonStart,
    JSON.stringify(outcomes, null, 1),
    jsonEnd,
    '',
  );
  return lines.join('\n');
}

export function writeReport(
  file: string,
  outcomes: BenchOutcome[],
  when: Date,
  suite: SuiteRun | null,
): void {
  writeFileSync(file, renderReport(outcomes, when, suite));
}
