import type { App, BrowserWindow, Menu, MenuItemConstructorOptions, NativeImage, Notification, NotificationConstructorOptions, Tray } from 'electron';
import type { AttentionNotification } from './attention.js';

/**
 * The desktop's signs of unread messages, all Electron APIs: notifications, the dock/launcher
 * badge (the taskbar overlay on Windows), and the tray icon with its menu. Electron's classes
 * come in as arguments so the tests pass fakes.
 */

type NotificationClass = { new (options: NotificationConstructorOptions): Notification; isSupported(): boolean };
type TrayClass = new (image: NativeImage) => Tray;

export interface DesktopSignsDeps {
  readonly app: Pick<App, 'setBadgeCount'>;
  readonly Notification: NotificationClass;
  readonly Tray: TrayClass;
  readonly Menu: Pick<typeof Menu, 'buildFromTemplate'>;
  readonly trayIcon: NativeImage;
  /** The red dot on Windows' taskbar button. */
  readonly overlayIcon: NativeImage;
  readonly platform: NodeJS.Platform;
  readonly getWindow: () => Pick<BrowserWindow, 'isDestroyed' | 'setOverlayIcon'> | null;
  /** Brings the window back (creating it when it was closed). */
  readonly showWindow: () => void;
  /** Asks the page to open the room (after showWindow). */
  readonly openRoom: (roomId: string) => void;
  readonly closeToTray: () => boolean;
  readonly setCloseToTray: (on: boolean) => void;
  readonly quit: () => void;
  /** "Multicast Chat", or with the profile: shown in the tooltip. */
  readonly title: string;
}

export interface DesktopSigns {
  notify(notification: AttentionNotification): void;
  /** The room was seen: its notification leaves the notification centre. */
  withdraw(roomId: string): void;
  setUnread(total: number): void;
  /** False where no tray could be made: closing the window must not hide it then. */
  hasTray(): boolean;
  dispose(): void;
}

export function unreadLabel(total: number): string {
  if (total === 0) return 'No unread messages';
  return total === 1 ? '1 unread message' : `${total} unread messages`;
}

export function createDesktopSigns(deps: DesktopSignsDeps): DesktopSigns {
  // Kept until closed: a notification that is garbage-collected loses its click handler (electron#12690).
  const shown = new Map<string, Notification>();
  let unread = 0;
  let tray: Tray | null = null;

  const openRoom = (roomId: string): void => {
    deps.showWindow();
    deps.openRoom(roomId);
  };

  const menu = (): Menu => {
    const template: MenuItemConstructorOptions[] = [
      { label: `Open ${deps.title}`, click: deps.showWindow },
      { label: unreadLabel(unread), enabled: false },
      { type: 'separator' },
      {
        label: 'Keep running when the window closes',
        type: 'checkbox',
        checked: deps.closeToTray(),
        click: (item) => deps.setCloseToTray(item.checked),
      },
      { type: 'separator' },
      { label: 'Quit', click: deps.quit },
    ];
    return deps.Menu.buildFromTemplate(template);
  };

  const refreshTray = (): void => {
    if (!tray) return;
    tray.setToolTip(unread > 0 ? `${deps.title}: ${unreadLabel(unread).toLowerCase()}` : deps.title);
    tray.setContextMenu(menu());
    // macOS shows text next to a menu-bar icon; elsewhere this is a no-op.
    if (deps.platform === 'darwin') tray.setTitle(unread > 0 ? String(unread) : '');
  };

  try {
    tray = new deps.Tray(deps.trayIcon);
    // Windows and KDE: a click opens the window (the menu is on the right button); macOS opens the menu.
    tray.on('click', deps.showWindow);
    refreshTray();
  } catch {
    // No tray on this desktop (GNOME without the AppIndicator extension): the badge and title remain.
    tray = null;
  }

  const setBadge = (): void => {
    if (deps.platform === 'win32') {
      const win = deps.getWindow();
      if (win && !win.isDestroyed()) win.setOverlayIcon(unread > 0 ? deps.overlayIcon : null, unread > 0 ? unreadLabel(unread) : '');
      return;
    }
    // macOS dock, Unity/KDE/GNOME-dash launchers through the .desktop file; false where unsupported.
    deps.app.setBadgeCount(unread);
  };

  return {
    notify(notification) {
      if (!deps.Notification.isSupported()) return;
      shown.get(notification.roomId)?.close();
      const n = new deps.Notification({ title: notification.title, body: notification.body, silent: false });
      shown.set(notification.roomId, n);
      n.on('click', () => openRoom(notification.roomId));
      n.on('close', () => {
        if (shown.get(notification.roomId) === n) shown.delete(notification.roomId);
      });
      n.show();
    },
    withdraw(roomId) {
      const n = shown.get(roomId);
      shown.delete(roomId);
      n?.close();
    },
    setUnread(total) {
      if (total === unread) return;
      unread = total;
      setBadge();
      refreshTray();
    },
    hasTray: () => tray !== null,
    dispose() {
      for (const n of shown.values()) n.close();
      shown.clear();
      tray?.destroy();
      tray = null;
    },
  };
}

export interface CloseToTrayDeps {
  readonly closeToTray: () => boolean;
  /** True once the app is quitting: then a close is a close. */
  readonly quitting: () => boolean;
}

/** With "keep running in the tray", closing the window hides it; the rooms stay joined. */
export function setupCloseToTray(win: Pick<BrowserWindow, 'on' | 'hide'>, deps: CloseToTrayDeps): void {
  win.on('close', (event) => {
    if (deps.quitting() || !deps.closeToTray()) return;
    event.preventDefault();
    win.hide();
  });
}
