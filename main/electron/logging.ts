/**
 * The shell's log: the core's rotating, redacted file logger in <userData>/logs, plus handlers
 * that write down why the app or a renderer died before anything else happens.
 */
import { app } from 'electron';
import { join } from 'node:path';
import { createFileLogger, type FileLogger } from '../core/log/fileLogger';

export function openShellLog(): FileLogger {
  return createFileLogger({
    dir: join(app.getPath('userData'), 'logs'),
    echo: app.isPackaged ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
}

export function logCrashes(logger: FileLogger): void {
  process.on('uncaughtException', (error) => {
    logger.error('uncaught exception in main', { error: String(error), stack: error.stack });
  });
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection in main', { error: String(reason) });
  });
  app.on('render-process-gone', (_event, _contents, details) => {
    logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
  });
  app.on('child-process-gone', (_event, details) => {
    logger.error('child process gone', {
      type: details.type,
      reason: details.reason,
      exitCode: details.exitCode,
    });
  });
}
