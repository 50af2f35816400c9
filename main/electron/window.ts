/**
 * The main window: secure webPreferences, geometry restored from and saved to the shell store,
 * close-to-tray. Navigation/new-window guards are in security.ts (they cover every web contents).
 */
import { BrowserWindow, screen } from 'electron';
import { secureWebPreferences } from './pure/security';
import { initialBounds, minWindowSize, nextWindowState, type Rect } from './pure/windowState';
import type { ShellStore } from './settingsStore';

export interface MainWindowOptions {
  preloadPath: string;
  rendererFile: string;
  iconPath?: string;
  store: ShellStore;
  /** Start hidden in the tray (launched at login with "start minimised"). */
  startHidden: boolean;
  /** Whether the app is on its way out (then closing the window must not just hide it). */
  isQuitting: () => boolean;
  /** Route to open on first load (`lead/123`), when the app was launched by a link. */
  initialRoute?: string | null;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const saved = opts.store.windowState();
  const primary = screen.getPrimaryDisplay();
  const areas: Rect[] = [
    primary,
    ...screen.getAllDisplays().filter((d) => d.id !== primary.id),
  ].map((d) => d.workArea);
  const bounds = initialBounds(saved, areas);

  const win = new BrowserWindow({
    ...bounds,
    minWidth: minWindowSize.width,
    minHeight: minWindowSize.height,
    show: false,
    title: 'Lead Inbox',
    icon: opts.iconPath,
    backgroundColor: '#ffffff',
    webPreferences: secureWebPreferences(opts.preloadPath),
  });

  let state = saved;
  const remember = () => {
    if (win.isDestroyed()) return;
    state = nextWindowState(state, {
      normalBounds: win.getNormalBounds(),
      isMinimized: win.isMinimized(),
      isMaximized: win.isMaximized(),
      isFullScreen: win.isFullScreen(),
    });
  };
  // Geometry is captured on every change but written once, on close: no disk write per pixel.
  for (const evt of [
    'resize',
    'move',
    'maximize',
    'unmaximize',
    'enter-full-screen',
    'leave-full-screen',
  ] as const) {
    win.on(evt as 'resize', remember);
  }

  win.on('close', (event) => {
    remember();
    opts.store.saveWindowState(state);
    if (!opts.isQuitting() && opts.store.settings().closeToTray) {
      event.preventDefault();
      win.hide();
    }
  });

  win.once('ready-to-show', () => {
    if (saved?.maximized) win.maximize();
    if (!opts.startHidden) win.show();
  });

  void win.loadFile(opts.rendererFile, opts.initialRoute ? { hash: `/${opts.initialRoute}` } : {});
  return win;
}

/** Brings the window to the front, restoring it from the tray or the taskbar. */
export function revealWindow(win: BrowserWindow): void {
  if (win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}

/**
 * Opens an in-app route in the renderer ('app.navigate' on the event channel). A window that is
 * still loading (the app was launched by the link itself) gets it once its page has loaded.
 */
export function sendNavigate(win: BrowserWindow, route: string): void {
  if (win.isDestroyed()) return;
  const send = () => win.webContents.send('api:event', 'app.navigate', { route });
  if (win.webContents.isLoading()) win.webContents.once('did-finish-load', send);
  else send();
}
