/**
 * A real desktop core for the fuzz tests: SQLite on disk in a temp folder, the keytar token store
 * under a test-only service name, and a logger that keeps its lines so tests can assert on them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core/app';
import { createKeytarTokenStore } from '../../main/core/keychain/keytarTokenStore';
import type { Logger } from '../../main/core/ports';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
  fields?: Record<string, unknown>;
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (msg, fields) => lines.push({ level: 'info', msg, fields }),
    warn: (msg, fields) => lines.push({ level: 'warn', msg, fields }),
    error: (msg, fields) => lines.push({ level: 'error', msg, fields }),
  };
}

export interface TestCore {
  core: Core;
  dataDir: string;
  logger: ReturnType<typeof recordingLogger>;
  /** Rows written by the core's own connection since it opened (SQLite total_changes()). */
  writes(): number;
  dispose(): Promise<void>;
}

export function createTestCore(
  opts: { graphApiUrl?: string; relayUrl?: string | null } = {},
): TestCore {
  const dataDir = mkdtempSync(join(tmpdir(), 'lead-inbox-fuzz-'));
  const logger = recordingLogger();
  const core = createCore({
    config: {
      dataDir,
      graphApiUrl: opts.graphApiUrl ?? 'http://127.0.0.1:9',
      graphVersion: 'v25.0',
      relayUrl: opts.relayUrl ?? null,
      metaAppId: 'fuzz-app',
    },
    tokens: createKeytarTokenStore('lead-inbox-fuzz-test'),
    notifier: { notify: () => {} },
    openExternal: async () => {},
    logger,
  });
  return {
    core,
    dataDir,
    logger,
    writes: () => (core.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n,
    async dispose() {
      await core.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
