/**
 * The tray / menu-bar icon that keeps Lead Inbox reachable while its window is closed (leads
 * keep arriving in the background). Left click opens the window; the menu has the essentials.
 */
import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  open(): void;
  syncNow(): void;
  quit(): void;
}

export function createTray(iconPath: string, actions: TrayActions): Tray {
  // On macOS the path is trayTemplate.png: the "Template" suffix makes the menu bar recolour it
  // for light/dark mode, and Electron picks the @2x file on Retina screens by itself.
  const image = nativeImage.createFromPath(iconPath);
  const tray = new Tray(image);
  tray.setToolTip('Lead Inbox');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Lead Inbox', click: actions.open },
      { label: 'Sync now', click: actions.syncNow },
      { type: 'separator' },
      { label: 'Quit Lead Inbox', click: actions.quit },
    ]),
  );
  tray.on('click', actions.open);
  return tray;
}
