/**
 * Start at login. macOS and Windows have app.setLoginItemSettings; Linux has no such API, so we
 * write an XDG autostart entry (~/.config/autostart/<name>.desktop) ourselves. Either way the app
 * is launched with `--hidden`, which is how it knows to stay in the tray.
 */

export const hiddenFlag = '--hidden';

export function launchedHidden(argv: readonly string[], macWasOpenedAsHidden = false): boolean {
  return macWasOpenedAsHidden || argv.includes(hiddenFlag);
}

/** Exec= quoting per the Desktop Entry spec: quote args with reserved characters. */
function quoteExecArg(arg: string): string {
  if (!/[\s"'\\$`<>~|&;*?#()]/.test(arg)) return arg;
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** The .desktop file content for an XDG autostart entry. Under AppImage, execPath is $APPIMAGE. */
export function autostartDesktopEntry(opts: {
  name: string;
  execPath: string;
  args?: readonly string[];
}): string {
  const exec = [opts.execPath, ...(opts.args ?? [hiddenFlag])].map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${opts.name}`,
    `Exec=${exec}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

export function autostartFileName(appName: string): string {
  return `${appName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.desktop`;
}
