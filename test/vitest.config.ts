import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Paths below are relative to the repository root, not to this file.
  root: resolve(import.meta.dirname, '..'),
  test: {
    include: [
      'test/**/*.test.ts',
      'main/**/*.test.ts',
      'relay/**/*.test.ts',
      'shared/**/*.test.ts',
    ],
    // Native modules (better-sqlite3, keytar) and real sockets: separate processes, not threads.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
