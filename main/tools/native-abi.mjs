/**
 * Which runtime the native modules (better-sqlite3, keytar) are built for, and how to switch.
 * `npm install` builds them for Node, so tests run as installed; `npm start` and packaging need
 * Electron's ABI. Rather than trust a marker, we read the compiled addon itself: a V8/NAN addon
 * exports `node_register_module_v<ABI>` (ELF, Mach-O and PE all keep that name as plain text),
 * a Node-API addon exports `napi_register_module_v1` and loads in both runtimes unchanged.
 * The marker file .electron-abi only records the last switch, for people and for addons whose
 * binary says nothing. Plain ESM JavaScript so `npm start` needs no TypeScript loader.
 */
/* global console */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';

export const nativeModules = [
  { name: 'better-sqlite3', binary: 'build/Release/better_sqlite3.node' },
  { name: 'keytar', binary: 'build/Release/keytar.node' },
];

export const markerFile = '.electron-abi';

/** @param {Buffer} bytes @returns {{kind:'abi', abi:number} | {kind:'napi'} | {kind:'unknown'}} */
export function readBinaryAbi(bytes) {
  const text = bytes.toString('latin1');
  const match = /node_register_module_v(\d+)/.exec(text);
  if (match) return { kind: 'abi', abi: Number(match[1]) };
  if (text.includes('napi_register_module_v1')) return { kind: 'napi' };
  return { kind: 'unknown' };
}

/** What each module's binary says, given the project root. */
export function inspectModules(root) {
  return nativeModules.map((m) => {
    const file = join(root, 'node_modules', m.name, m.binary);
    if (!existsSync(file)) return { ...m, file, state: { kind: 'missing' } };
    return { ...m, file, state: readBinaryAbi(readFileSync(file)) };
  });
}

/**
 * Which modules must be rebuilt for `target` ({runtime:'node'|'electron', abi}). A Node-API
 * module never needs it; a binary that names its ABI needs it when the ABI differs; a binary that
 * says nothing falls back to the marker's runtime; a missing one is always rebuilt.
 */
export function modulesToRebuild(inspected, target, marker) {
  return inspected
    .filter(({ state }) => {
      if (state.kind === 'missing') return true;
      if (state.kind === 'napi') return false;
      if (state.kind === 'abi') return state.abi !== target.abi;
      return !marker || marker.runtime !== target.runtime;
    })
    .map((m) => m.name);
}

export function readMarker(root) {
  try {
    return JSON.parse(readFileSync(join(root, markerFile), 'utf8'));
  } catch {
    return null;
  }
}

export function writeMarker(root, target) {
  const marker = {
    runtime: target.runtime,
    abi: target.abi,
    version: target.version,
    at: new Date().toISOString(),
  };
  writeFileSync(join(root, markerFile), `${JSON.stringify(marker, null, 2)}\n`);
}

/** Electron's version and module ABI from its npm package (no binary needed). */
export function electronTarget(root) {
  const dir = join(root, 'node_modules', 'electron');
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  let abi = Number.NaN;
  if (existsSync(join(dir, 'abi_version')))
    abi = Number(readFileSync(join(dir, 'abi_version'), 'utf8').trim());
  if (!Number.isInteger(abi))
    abi = Number(createRequire(join(root, 'package.json'))('node-abi').getAbi(version, 'electron'));
  return { runtime: 'electron', abi, version };
}

export function nodeTarget() {
  return { runtime: 'node', abi: Number(process.versions.modules), version: process.versions.node };
}

/**
 * The Electron executable, or why there is none. The electron package's index.js throws when its
 * download never happened and returns a path that may not exist when it was removed.
 */
export function electronBinary(root) {
  try {
    const path = createRequire(join(root, 'package.json'))('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { path: null, reason: `the Electron binary is missing (${path})` };
  } catch {
    return { path: null, reason: 'the Electron binary is not installed (its download never ran)' };
  }
}

/** Serialises switches: two `npm test`/`npm start` at once must not compile into the same folder. */
export function withLock(root, fn) {
  const lock = join(root, 'node_modules', '.lead-inbox-abi.lock');
  const started = Date.now();
  const pause = new Int32Array(new SharedArrayBuffer(4));
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A compile takes minutes at most; a lock older than 15 was left by a killed process.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 15 * 60_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > 15 * 60_000) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(pause, 0, 0, 500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Runs `rebuild` (which returns true on success) with the named modules' compiled addons backed
 * up, and puts them back when it fails: node-gyp empties build/ before compiling, so a rebuild
 * that cannot download headers or find a compiler would otherwise leave no addon at all.
 */
export function withAddonBackup(root, names, rebuild) {
  const files = nativeModules
    .filter((m) => names.includes(m.name))
    .map((m) => join(root, 'node_modules', m.name, m.binary))
    .filter((file) => existsSync(file));
  const saved = files.map((file) => [file, readFileSync(file)]);
  const ok = rebuild();
  if (!ok) {
    for (const [file, bytes] of saved) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
    }
  }
  return ok;
}

/** Runs a command in the project root with inherited output; returns its exit status. */
export function run(root, cmd, args, env = {}) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: process.platform === 'win32',
  });
  return r.status ?? 1;
}

/** One line that says what each module is built for, e.g. "better-sqlite3: ABI 115, keytar: Node-API". */
export function describeModules(inspected) {
  return inspected
    .map(
      ({ name, state }) =>
        `${name}: ${state.kind === 'abi' ? `ABI ${state.abi}` : state.kind === 'napi' ? 'Node-API' : state.kind}`,
    )
    .join(', ');
}

/** What a packaged app needs at run time besides dist/: the native modules and their loaders. */
export const runtimeModules = ['better-sqlite3', 'keytar', 'bindings', 'file-uri-to-path'];
/** Needed only to compile them (keytar's C++ wrapper headers). */
const buildModules = ['node-addon-api'];

/**
 * Copies the built app (dist/, a package.json naming only the native dependencies, and those
 * modules) to `dest`, the layout of a packaged app. Rebuilding the copy for Electron leaves the
 * project's node_modules on Node's ABI, so tests, `npm run web` and a running `npm start` can
 * share a checkout (and the Electron spec's own worker keeps loading better-sqlite3 under Node).
 * dist/ is replaced every time; a module already staged at the same version is kept, so its
 * Electron build survives from one `npm start` to the next.
 */
export function stageApp(root, dest) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  mkdirSync(dest, { recursive: true });
  rmSync(join(dest, 'dist'), { recursive: true, force: true });
  cpSync(join(root, 'dist'), join(dest, 'dist'), { recursive: true });
  const dependencies = Object.fromEntries(
    ['better-sqlite3', 'keytar'].map((name) => [name, pkg.dependencies[name]]),
  );
  const staged = {
    name: pkg.name,
    productName: pkg.productName,
    version: pkg.version,
    main: pkg.main,
    dependencies,
  };
  writeFileSync(join(dest, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
  for (const name of [...runtimeModules, ...buildModules]) {
    const from = join(root, 'node_modules', name);
    const to = join(dest, 'node_modules', name);
    if (!existsSync(from) || moduleVersion(to) === moduleVersion(from)) continue;
    rmSync(to, { recursive: true, force: true });
    // dereference: pnpm and workspaces link modules; the staged app must hold real files.
    cpSync(from, to, { recursive: true, dereference: true });
  }
  return dest;
}

function moduleVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/**
 * The whole of main/tools/ensure-{node,electron}-abi.mjs but the rebuild command: `--root <dir>` picks
 * the app folder, `--check` only reports (1 = a switch is needed); otherwise the modules built for
 * another ABI are rebuilt under the lock with their addons backed up. `rebuild(root, pending)`
 * returns `{ ok, status }`; `failure(pending, status)` says what went wrong. Returns the exit code
 * (nothing exits inside the lock: it must be released on every path).
 */
export function ensureAbi({ label, target, argv, defaultRoot, rebuild, failure }) {
  const rootArg = argv.indexOf('--root');
  const root = rootArg > 0 && argv[rootArg + 1] ? resolve(argv[rootArg + 1]) : defaultRoot;
  if (!existsSync(join(root, 'package.json'))) {
    console.error(`native modules: no app at ${root} (no package.json)`);
    return { code: 1, root, rebuilt: false };
  }
  const plan = () => modulesToRebuild(inspectModules(root), target, readMarker(root));
  let pending = plan();
  if (pending.length === 0) {
    console.log(
      `native modules: built for ${label} ${target.version} (ABI ${target.abi}) — ${describeModules(inspectModules(root))}`,
    );
    return { code: 0, root, rebuilt: false };
  }
  if (argv.includes('--check')) {
    console.log(
      `native modules: ${pending.join(', ')} must be rebuilt for ${label} ABI ${target.abi} (${describeModules(inspectModules(root))})`,
    );
    return { code: 1, root, rebuilt: false };
  }
  const code = withLock(root, () => {
    pending = plan(); // another process may have switched while we waited for the lock
    if (pending.length === 0) return 0;
    console.log(
      `native modules: rebuilding ${pending.join(', ')} for ${label} ${target.version} (ABI ${target.abi})`,
    );
    let status = 0;
    const ok = withAddonBackup(root, pending, () => {
      const r = rebuild(root, pending);
      status = r.status;
      return r.ok;
    });
    if (!ok) {
      console.error(failure(pending, status, root));
      return 1;
    }
    writeMarker(root, target);
    return 0;
  });
  return { code, root, rebuilt: true };
}
