/**
 * Shows the badge count the notifier keeps. macOS (dock) and Linux (Unity-style launchers) take
 * a number; Windows has no numeric taskbar badge, so a red overlay dot stands for "something new",
 * with the count in its accessible description. A new lead while the window is in the background
 * also flashes the taskbar button on Windows and Linux (macOS bounces the dock icon).
 */
import { app, nativeImage, type BrowserWindow } from 'electron';

export interface BadgeView {
  show(count: number): void;
  /** Ask for attention once (the owner is in another app). */
  attention(): void;
}

export function createBadgeView(
  window: () => BrowserWindow | null,
  overlayPath: string,
): BadgeView {
  const overlay = nativeImage.createFromPath(overlayPath);
  return {
    show(count) {
      if (process.platform !== 'win32') {
        app.setBadgeCount(count);
        return;
      }
      const win = window();
      if (win && !win.isDestroyed()) {
        win.setOverlayIcon(
          count > 0 ? overlay : null,
          count > 0 ? `${count} new in Lead Inbox` : '',
        );
      }
    },
    attention() {
      if (process.platform === 'darwin') {
        app.dock?.bounce('informational');
        return;
      }
      const win = window();
      if (win && !win.isDestroyed() && !win.isFocused()) win.flashFrame(true);
    },
  };
}
