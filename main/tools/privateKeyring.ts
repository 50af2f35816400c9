import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * On a Linux machine without a desktop session (CI, SSH, containers) there is no Secret Service,
 * so keytar cannot store tokens. Where gnome-keyring is installed, re-runs this script inside a
 * private D-Bus session with a throwaway, unlocked keyring (.ci/with-keyring.sh) and exits with its
 * status; elsewhere returns and the caller goes on as it is.
 */
export function rerunInsidePrivateKeyringIfNeeded(root: string, script: string, why: string): void {
  if (!needsPrivateKeyring()) return;
  // stderr: a benchmark's stdout carries only its JSON figure lines.
  process.stderr.write(`No desktop keyring session here: ${why} inside a private gnome-keyring.\n`);
  const r = spawnSync(
    'bash',
    [
      join(root, '.ci/with-keyring.sh'),
      process.execPath,
      '--import',
      'tsx',
      script,
      ...process.argv.slice(2),
    ],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  process.exit(r.status ?? 1);
}

function needsPrivateKeyring(): boolean {
  if (process.platform !== 'linux' || process.env.LEAD_INBOX_IN_KEYRING) return false;
  if (process.env.DBUS_SESSION_BUS_ADDRESS) return false;
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  return has('dbus-run-session') && has('gnome-keyring-daemon');
}
