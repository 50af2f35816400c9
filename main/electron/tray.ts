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
  const image = nativeImage.createFromPath(iconPath);
  // macOS draws menu-bar icons as templates (monochrome, follows light/dark mode).
  if (process.platform === 'darwin') image.setTemplateImage(true);
  const tray = new Tray(
    image.isEmpty() ? nativeImage.createEmpty() : image.resize({ width: 16, height: 16 }),
  );
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
