/**
 * The application menu: the platform's usual roles plus Sync now, Export and Settings, and the
 * desktop-only options (close to tray, start at login, automatic updates) as checkboxes, since
 * they live in the shell's own store rather than in the core's settings page.
 */
import { Menu, app, type MenuItemConstructorOptions } from 'electron';
import type { ShellSettings } from './pure/shellSettings';

export interface MenuActions {
  syncNow(): void;
  exportLeads(): void;
  openSettings(): void;
  setOption(patch: Partial<ShellSettings>): void;
  openLogFolder(): void;
}

export function buildAppMenu(settings: ShellSettings, actions: MenuActions): Menu {
  const isMac = process.platform === 'darwin';
  const settingsItem: MenuItemConstructorOptions = {
    label: isMac ? 'Settings…' : 'Settings',
    accelerator: 'CmdOrCtrl+,',
    click: actions.openSettings,
  };
  const option = (
    label: string,
    field: 'closeToTray' | 'startAtLogin' | 'startMinimised' | 'autoUpdate',
    enabled = true,
  ): MenuItemConstructorOptions => ({
    label,
    type: 'checkbox',
    checked: settings[field],
    enabled,
    click: (item) => actions.setOption({ [field]: item.checked }),
  });
  const desktopOptions: MenuItemConstructorOptions = {
    label: 'Desktop options',
    submenu: [
      option(
        isMac ? 'Keep running in the menu bar when closed' : 'Keep running in the tray when closed',
        'closeToTray',
      ),
      option('Start at login', 'startAtLogin'),
      // Only meaningful when the app starts at login.
      option('Start minimised', 'startMinimised', settings.startAtLogin),
      option('Install updates automatically', 'autoUpdate'),
    ],
  };

  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [
          {
            label: app.name,
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              settingsItem,
              desktopOptions,
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: 'File',
      submenu: [
        { label: 'Sync now', accelerator: 'CmdOrCtrl+Shift+S', click: actions.syncNow },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: actions.exportLeads },
        { type: 'separator' },
        ...(isMac ? [] : [settingsItem, desktopOptions, { type: 'separator' } as const]),
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(app.isPackaged
          ? []
          : ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Show log files', click: actions.openLogFolder }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
