/**
 * Parent side of test/chaos/coreProcess.ts: start the desktop core in a child process, call its
 * API, watch its events, SIGKILL it and start it again on the same data folder and keychain.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CoreTuning } from '../../main/core/tuning';
import type { Result } from '../../shared/index';
import type { CoreMessage, ParentMessage } from './coreProcess';

const root = resolve(import.meta.dirname, '../..');

export interface CoreHandle {
  readonly dataDir: string;
  readonly running: boolean;
  /** Every event the core emitted, across restarts, with the time it arrived here. */
  readonly events: { name: string; payload: unknown; at: number }[];
  call<T = unknown>(method: string, input?: unknown): Promise<Result<T>>;
  /** Resolves the next event of this name whose payload passes `match`. */
  nextEvent(
    name: string,
    match?: (payload: unknown) => boolean,
    timeoutMs?: number,
  ): Promise<unknown>;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startCoreProcess(opts: {
  dataDir: string;
  graphApiUrl: string;
  relayUrl: string | null;
  appId: string;
  keychainService: string;
  dialogUrl?: string;
  tuning?: Partial<CoreTuning>;
}): Promise<CoreHandle> {
  mkdirSync(opts.dataDir, { recursive: true });
  const stderrLog = join(opts.dataDir, 'core-process.stderr');
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const events: { name: string; payload: unknown; at: number }[] = [];
  const watchers = new Set<{
    name: string;
    match: (p: unknown) => boolean;
    resolve: (p: unknown) => void;
  }>();

  const launch = async () => {
    const c = fork(join(root, 'test/chaos/coreProcess.ts'), [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        ...process.env,
        LEAD_INBOX_DATA_DIR: opts.dataDir,
        GRAPH_API_URL: opts.graphApiUrl,
        RELAY_URL: opts.relayUrl ?? '',
        META_APP_ID: opts.appId,
        CHAOS_KEYCHAIN_SERVICE: opts.keychainService,
        META_DIALOG_URL: opts.dialogUrl ?? '',
        CHAOS_TUNING: opts.tuning ? JSON.stringify(opts.tuning) : '',
      },
    });
    child = c;
    c.stderr!.on('data', (d: Buffer) => {
      try {
        appendFileSync(stderrLog, d);
      } catch {
        // the test already removed the folder
      }
    });
    exited = new Promise((r) => c.once('exit', () => r()));
    c.on('message', (m: CoreMessage) => {
      if (m.type === 'result') {
        pending.get(m.id)?.(m.result as Result<unknown>);
        pending.delete(m.id);
      } else if (m.type === 'event') {
        if (events.length < 100_000)
          events.push({ name: m.name, payload: m.payload, at: Date.now() });
        for (const w of [...watchers]) {
          if (w.name === m.name && w.match(m.payload)) {
            watchers.delete(w);
            w.resolve(m.payload);
          }
        }
      }
    });
    c.once('exit', () => {
      // Calls in flight when the process died never get an answer: fail them, do not hang.
      for (const done of pending.values())
        done({ ok: false, error: { code: 'internal', message: 'core process exited' } });
      pending.clear();
    });
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`core did not start in 30 s; see ${stderrLog}`)),
        30_000,
      );
      c.on('message', (m: CoreMessage) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          ok();
        }
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`core exited with ${code} before ready; see ${stderrLog}`));
      });
    });
  };
  await launch();
  return {
    dataDir: opts.dataDir,
    events,
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    call<T>(method: string, input?: unknown) {
      return new Promise<Result<T>>((done) => {
        if (!child?.connected) {
          done({ ok: false, error: { code: 'internal', message: 'core process not running' } });
          return;
        }
        const callId = nextId++;
        pending.set(callId, done as (r: Result<unknown>) => void);
        child.send({ type: 'call', id: callId, method, input } satisfies ParentMessage);
      });
    },
    nextEvent(name, match = () => true, timeoutMs = 20_000) {
      return new Promise((ok, fail) => {
        const w = { name, match, resolve: ok };
        watchers.add(w);
        setTimeout(() => {
          if (watchers.delete(w)) fail(new Error(`no ${name} event within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      });
    },
    async kill() {
      child?.kill('SIGKILL');
      await exited;
    },
    restart: launch,
    async stop() {
      if (child?.connected) {
        child.send({ type: 'stop' } satisfies ParentMessage);
        const timer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
