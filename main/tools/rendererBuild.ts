import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time under the renderer's sources (and the shared contract it bundles). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/renderer when it is missing or older than its sources (a pull, an edit): once per
 * test run, and at each `npm run web`, so neither serves a stale UI. Paths are from the repo root.
 */
export function ensureRendererBuilt(): void {
  const index = 'dist/renderer/index.html';
  const sources = Math.max(newestSource('renderer'), newestSource('shared'), statSync('vite.config.ts').mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  console.log('Building the renderer…');
  // NODE_ENV pinned: inherited from vitest (test) or a dev shell it made Vite bundle React's dev build (580 KB, slower) into the shared dist.
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit', shell: process.platform === 'win32', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error('vite build of the renderer failed');
}
