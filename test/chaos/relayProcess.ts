/**
 * The relay as a real child process (`relay/cli.ts`, configured by RELAY_* env), so a chaos test
 * can SIGKILL it at any instant and start it again on the same data folder and the same port —
 * what a crash and a process-manager restart look like in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface RelayProcessOptions {
  dataDir: string;
  appId: string;
  appSecret: string;
  verifyToken: string;
  graphApiUrl: string;
  /** Fixed port so clients reconnect to the same URL after a restart; default: a free one. */
  port?: number;
  /** The relay's stdout/stderr (JSON log lines) are appended here; the secrets test scans it. */
  logFile?: string;
  env?: Record<string, string>;
}

export interface RelayProcess {
  readonly url: string;
  readonly port: number;
  readonly logFile: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** SIGKILL: no shutdown hook runs, in-flight requests die with the process. */
  kill(): Promise<void>;
  /** Start again on the same data folder and port. */
  restart(): Promise<void>;
  /** SIGTERM and wait (graceful shutdown). */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

export async function startRelayProcess(opts: RelayProcessOptions): Promise<RelayProcess> {
  const port = opts.port ?? (await freePort());
  const logFile = opts.logFile ?? join(opts.dataDir, 'relay-process.log');
  mkdirSync(opts.dataDir, { recursive: true });
  mkdirSync(dirname(logFile), { recursive: true });
  // The folder may be gone once a test has cleaned up while the child still flushes output.
  const keep = (d: Buffer) => {
    try {
      appendFileSync(logFile, d);
    } catch {
      // nothing to keep it in any more
    }
  };
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const c = spawn(process.execPath, ['--import', 'tsx', join(root, 'relay/cli.ts')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        RELAY_PORT: String(port),
        RELAY_HOST: '127.0.0.1',
        RELAY_DATA_DIR: opts.dataDir,
        META_APP_ID: opts.appId,
        META_APP_SECRET: opts.appSecret,
        META_VERIFY_TOKEN: opts.verifyToken,
        GRAPH_API_URL: opts.graphApiUrl,
        ...opts.env,
      },
    });
    child = c;
    exited = new Promise((r) => c.once('exit', () => r()));
    c.stderr!.on('data', keep);
    await new Promise<void>((resolveReady, rejectReady) => {
      let buffered = '';
      const timer = setTimeout(
        () => rejectReady(new Error(`relay did not start within 20 s; see ${logFile}`)),
        20_000,
      );
      c.stdout!.on('data', (d: Buffer) => {
        keep(d);
        buffered += d.toString('utf8');
        if (buffered.includes('"relay ready"')) {
          clearTimeout(timer);
          buffered = '';
          resolveReady();
        } else if (buffered.length > 65_536) buffered = buffered.slice(-1024);
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        rejectReady(new Error(`relay exited with ${code} before it was ready; see ${logFile}`));
      });
    });
  };

  await launch();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    logFile,
    get pid() {
      return child?.pid;
    },
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    async kill() {
      child?.kill('SIGKILL');
      await exited;
    },
    async restart() {
      await launch();
    },
    async stop() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
