/**
 * Child process entry of `npm run bench`: runs ONE benchmark file and sends its figures to the
 * parent over IPC. A process per benchmark keeps RSS figures honest (no leftovers from an earlier
 * benchmark) and lets the parent kill a benchmark that overruns its time budget.
 *
 * argv: <bench file> <tmpDir> <quick: 0|1>
 */
import { pathToFileURL } from 'node:url';
import type { Benchmark, Figure } from './types';

export type ChildMessage =
  { type: 'figure'; figure: Figure } | { type: 'done' } | { type: 'error'; message: string };

const [file, tmpDir, quickFlag] = process.argv.slice(2);

function post(msg: ChildMessage): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(msg, () => resolve()) : resolve()));
}

async function main(): Promise<void> {
  if (!file || !tmpDir) throw new Error('usage: runOne <bench file> <tmpDir> <0|1>');
  const mod = (await import(pathToFileURL(file).href)) as { default?: Benchmark };
  const bench = mod.default;
  if (!bench || typeof bench.run !== 'function')
    throw new Error(`${file} does not default-export a Benchmark`);
  const figures = await bench.run({
    quick: quickFlag === '1',
    tmpDir,
    // stdout of the child is not the parent's stdout; progress goes to stderr either way.
    log: (msg) => process.stderr.write(`[${bench.name}] ${msg}\n`),
  });
  for (const figure of figures) await post({ type: 'figure', figure });
  await post({ type: 'done' });
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    await post({
      type: 'error',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  },
);
