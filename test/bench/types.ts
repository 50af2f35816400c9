/**
 * Every benchmark file `test/bench/*.bench.ts` default-exports a Benchmark; `npm run bench` finds
 * them, runs each, prints one JSON line per Figure and writes docs/PERFORMANCE.md.
 */
export interface Figure {
  name: string;
  /** The headline value (usually the median over runs). */
  value: number;
  unit: string;
  /** The physical or baseline figure measured in the same run (bare server, raw SQLite…). */
  limit: number | null;
  limit_name: string | null;
  runs: number;
  p50: number | null;
  p99: number | null;
}

export interface BenchContext {
  /** `npm run bench -- --quick`: smaller inputs, fewer runs, the whole suite under 3 minutes. */
  quick: boolean;
  /** A fresh scratch folder for this benchmark's files. */
  tmpDir: string;
  log(msg: string): void;
}

export interface Benchmark {
  name: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

/** Median and p-th percentile of a sample (nearest-rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
