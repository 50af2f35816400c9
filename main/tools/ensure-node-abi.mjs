#!/usr/bin/env node
/**
 * Before tests: make sure better-sqlite3 and keytar are built for this Node (they are after
 * `npm install`, but not after `npm start` or `npm run dist` switched them to Electron).
 * Rebuilds only what differs, then proves the result by loading both modules in a child Node.
 *   node main/tools/ensure-node-abi.mjs               switch if needed
 *   node main/tools/ensure-node-abi.mjs --check       only report; exit 1 if a switch is needed
 *   node main/tools/ensure-node-abi.mjs --root <dir>  work on another app folder
 */
/* global console */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { describeModules, ensureAbi, inspectModules, nodeTarget, run } from './native-abi.mjs';

const { code, root, rebuilt } = ensureAbi({
  label: 'Node',
  target: nodeTarget(),
  argv: process.argv,
  defaultRoot: join(import.meta.dirname, '..', '..'),
  // prebuild-install fetches a prebuilt binary when online, else node-gyp compiles from source.
  rebuild: (root, pending) => {
    const status = run(root, 'npm', ['rebuild', ...pending]);
    return { status, ok: status === 0 };
  },
  failure: (pending, status) =>
    `native modules: npm rebuild failed (exit ${status}); run "npm rebuild ${pending.join(' ')}" and read its output`,
});
if (code !== 0 || !rebuilt) process.exit(code);

const load = spawnSync(
  process.execPath,
  ['-e', "new (require('better-sqlite3'))(':memory:').close(); require('keytar')"],
  { cwd: root, encoding: 'utf8' },
);
if (load.status !== 0) {
  console.error(`native modules: still not loadable under Node:\n${load.stderr}`);
  process.exit(1);
}
console.log(`native modules: ready for Node — ${describeModules(inspectModules(root))}`);
