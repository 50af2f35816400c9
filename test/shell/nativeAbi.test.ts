import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  electronBinary,
  electronTarget,
  inspectModules,
  modulesToRebuild,
  nodeTarget,
  readBinaryAbi,
  runtimeModules,
  stageApp,
} from '../../main/tools/native-abi.mjs';

/**
 * The ABI switch between `npm test` (Node) and `npm start` (Electron) reads the compiled addons
 * themselves. These tests use the real binaries npm installed, and byte-patched copies of them
 * standing for "the same file after an Electron rebuild".
 */
const root = join(__dirname, '../..');
const sqliteBinary = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const nodeAbi = Number(process.versions.modules);

/** The same addon as if compiled for another ABI: the registration symbol names it. */
function rebuiltFor(abi: number): Buffer {
  const bytes = readFileSync(sqliteBinary);
  const from = Buffer.from(`node_register_module_v${nodeAbi}`, 'latin1');
  const to = Buffer.from(`node_register_module_v${abi}`, 'latin1');
  expect(to.length).toBe(from.length);
  let at = bytes.indexOf(from);
  expect(at).toBeGreaterThan(0);
  while (at !== -1) {
    to.copy(bytes, at);
    at = bytes.indexOf(from, at + 1);
  }
  return bytes;
}

describe('reading what an addon was built for', () => {
  it('sees that the installed better-sqlite3 is built for this Node and keytar uses Node-API', () => {
    const [sqlite, keytar] = inspectModules(root);
    expect(sqlite!.state).toEqual({ kind: 'abi', abi: nodeAbi });
    expect(keytar!.state).toEqual({ kind: 'napi' });
  });

  it('sees an Electron build of the same addon', () => {
    expect(readBinaryAbi(rebuiltFor(143))).toEqual({ kind: 'abi', abi: 143 });
    expect(readBinaryAbi(Buffer.from('no symbols here'))).toEqual({ kind: 'unknown' });
  });
});

describe('deciding what to rebuild', () => {
  const module = (
    name: string,
    state: Parameters<typeof modulesToRebuild>[0][number]['state'],
  ) => ({
    name,
    binary: '',
    file: '',
    state,
  });

  it('rebuilds only the ABI-specific addon when switching runtimes, never a Node-API one', () => {
    const afterStart = [
      module('better-sqlite3', { kind: 'abi', abi: 143 }),
      module('keytar', { kind: 'napi' }),
    ];
    expect(modulesToRebuild(afterStart, { runtime: 'node', abi: nodeAbi }, null)).toEqual([
      'better-sqlite3',
    ]);
    expect(modulesToRebuild(afterStart, { runtime: 'electron', abi: 143 }, null)).toEqual([]);
  });

  it('rebuilds a missing addon, and trusts the marker only when the binary says nothing', () => {
    const odd = [
      module('better-sqlite3', { kind: 'missing' }),
      module('keytar', { kind: 'unknown' }),
    ];
    expect(modulesToRebuild(odd, { runtime: 'node', abi: nodeAbi }, { runtime: 'node' })).toEqual([
      'better-sqlite3',
    ]);
    expect(
      modulesToRebuild(odd, { runtime: 'node', abi: nodeAbi }, { runtime: 'electron' }),
    ).toEqual(['better-sqlite3', 'keytar']);
  });

  it("knows Electron's ABI from its npm package and it differs from Node's", () => {
    const electron = electronTarget(root);
    expect(electron.runtime).toBe('electron');
    expect(electron.abi).toBeGreaterThan(nodeAbi);
    expect(nodeTarget()).toMatchObject({ runtime: 'node', abi: nodeAbi });
  });
});

describe('the scripts', () => {
  // They run on a staged copy whose state the test sets, whatever the project's modules are now.
  let work: string;
  let app: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'abi-scripts-'));
    app = stageFakeProject(work);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const check = (script: string) =>
    spawnSync(process.execPath, [`main/tools/${script}`, '--check', '--root', app], {
      cwd: root,
      encoding: 'utf8',
    });
  const electronAbi = electronTarget(root).abi;

  it('as npm install left them: Node needs nothing, npm start would rebuild better-sqlite3', () => {
    const node = check('ensure-node-abi.mjs');
    expect(node.stdout).toContain(`built for Node ${process.versions.node} (ABI ${nodeAbi})`);
    expect(node.status).toBe(0);
    const electron = check('ensure-electron-abi.mjs');
    expect(electron.stdout).toContain(
      `better-sqlite3 must be rebuilt for Electron ABI ${electronAbi}`,
    );
    expect(electron.status).toBe(1);
  });

  it('after npm start switched them: Electron needs nothing, npm test would rebuild', () => {
    writeFileSync(
      join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
      rebuiltFor(electronAbi),
    );
    const electron = check('ensure-electron-abi.mjs');
    expect(electron.stdout).toContain(`built for Electron`);
    expect(electron.status).toBe(0);
    const node = check('ensure-node-abi.mjs');
    expect(node.stdout).toContain(`better-sqlite3 must be rebuilt for Node ABI ${nodeAbi}`);
    expect(node.status).toBe(1);
  });

  it('a rebuild that fails leaves the addons as they were and releases its lock', () => {
    // Back to the Node build, so that Electron needs a rebuild.
    cpSync(
      sqliteBinary,
      join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
    );
    const before = readFileSync(
      join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
    );
    // Headers from an address nothing listens on, and an empty header cache: the download fails
    // the same way with or without network, as it does offline.
    const home = join(work, 'home');
    mkdirSync(home, { recursive: true });
    const r = spawnSync(process.execPath, ['main/tools/ensure-electron-abi.mjs', '--root', app], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        HOME: home,
        USERPROFILE: home,
        ELECTRON_REBUILD_DIST_URL: 'http://127.0.0.1:9',
      },
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('could not build better-sqlite3 for Electron');
    expect(r.stderr).toContain('left as they were');
    expect(
      readFileSync(
        join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
      ).equals(before),
    ).toBe(true);
    expect(existsSync(join(app, 'node_modules/.lead-inbox-abi.lock'))).toBe(false);
  }, 120_000);

  // Where the binary exists npm start really launches the app; test/electron/app.spec.ts covers that.
  it.skipIf(electronBinary(root).path !== null)(
    'npm start says in one line why it cannot start without the Electron binary',
    () => {
      const r = spawnSync(process.execPath, ['main/tools/start-electron.mjs'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('Electron binary is not installed');
      expect(r.stderr).toContain('npm run web');
    },
  );
});

describe('staging the app for Electron (what the Electron spec runs)', () => {
  it('copies dist, a package.json naming only the native modules, and everything they load', () => {
    const work = mkdtempSync(join(tmpdir(), 'stage-'));
    try {
      const app = stageFakeProject(work);

      const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(pkg.main).toBe('dist/electron/main.cjs');
      expect(Object.keys(pkg.dependencies as object).sort()).toEqual(['better-sqlite3', 'keytar']);
      expect(readFileSync(join(app, 'dist/electron/main.cjs'), 'utf8')).toBe('// main');
      // Real files, not links back into the project: rebuilding them must not touch the project.
      expect(inspectModules(app).map((m) => m.state)).toEqual([
        { kind: 'abi', abi: nodeAbi },
        { kind: 'napi' },
      ]);
      expect(modulesToRebuild(inspectModules(app), electronTarget(root), null)).toEqual([
        'better-sqlite3',
      ]);

      // The copy is complete: both modules load from it (bindings finds the .node file).
      const load = spawnSync(
        process.execPath,
        [
          '-e',
          "new (require('better-sqlite3'))(':memory:').prepare('select 1 as x').get(); require('keytar')",
        ],
        { cwd: app, encoding: 'utf8' },
      );
      expect(load.stderr).toBe('');
      expect(load.status).toBe(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

/** A project whose node_modules are links (pnpm, workspaces) and whose dist holds one file, staged. */
function stageFakeProject(work: string): string {
  const project = join(work, 'project');
  mkdirSync(join(project, 'dist/electron'), { recursive: true });
  mkdirSync(join(project, 'node_modules'));
  cpSync(join(root, 'package.json'), join(project, 'package.json'));
  writeFileSync(join(project, 'dist/electron/main.cjs'), '// main');
  for (const m of [...runtimeModules, 'node-addon-api']) {
    symlinkSync(join(root, 'node_modules', m), join(project, 'node_modules', m), 'junction');
  }
  return stageApp(project, join(work, 'app'));
}
