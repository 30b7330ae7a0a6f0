import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createDesktopSigns, setupCloseToTray, unreadLabel, type DesktopSignsDeps } from './desktop-signs.js';

class FakeNotification extends EventEmitter {
  static isSupported = () => true;
  closed = false;
  show = vi.fn();
  close = () => {
    this.closed = true;
  };
}

function deps(platform: NodeJS.Platform, overrides: Partial<DesktopSignsDeps> = {}) {
  const overlay: unknown[] = [];
  const win = { isDestroyed: () => false, setOverlayIcon: (image: unknown, text: string) => overlay.push([image, text]) };
  const badge: number[] = [];
  const d: DesktopSignsDeps = {
    app: { setBadgeCount: (n: number) => (badge.push(n), true) },
    Notification: FakeNotification as never,
    Tray: class extends EventEmitter {
      setToolTip() {}
      setContextMenu() {}
      setTitle() {}
      destroy() {}
    } as never,
    Menu: { buildFromTemplate: (items: unknown) => items as never },
    trayIcon: 'tray' as never,
    overlayIcon: 'dot' as never,
    platform,
    getWindow: () => win as never,
    showWindow: vi.fn(),
    openRoom: vi.fn(),
    closeToTray: () => false,
    setCloseToTray: vi.fn(),
    quit: vi.fn(),
    title: 'Multicast Chat',
    ...overrides,
  };
  return { d, overlay, badge };
}

describe('desktop signs', () => {
  it('Windows has no badge count: the taskbar gets a red dot overlay with the count as its description', () => {
    const { d, overlay, badge } = deps('win32');
    const signs = createDesktopSigns(d);
    signs.setUnread(3);
    signs.setUnread(0);
    expect(overlay).toEqual([['dot', '3 unread messages'], [null, '']]);
    expect(badge).toEqual([]);
  });

  it('a desktop without a tray: no crash, and closing the window must not hide it', () => {
    const { d } = deps('linux', {
      Tray: class {
        constructor() {
          throw new Error('no tray');
        }
      } as never,
    });
    const signs = createDesktopSigns(d);
    expect(signs.hasTray()).toBe(false);
    signs.setUnread(2);
  });

  it('one notification per room stays: a newer one replaces it; a click opens its room', () => {
    const { d } = deps('linux');
    const made: FakeNotification[] = [];
    const Notification = class extends FakeNotification {
      constructor() {
        super();
        made.push(this);
      }
    };
    const signs = createDesktopSigns({ ...d, Notification: Notification as never });
    signs.notify({ roomId: 'lab', title: 'Lab', body: 'bob: hi' });
    signs.notify({ roomId: 'lab', title: 'Lab', body: 'bob: again' });
    expect(made[0]!.closed).toBe(true);
    made[1]!.emit('click');
    expect(d.showWindow).toHaveBeenCalled();
    expect(d.openRoom).toHaveBeenCalledWith('lab');
  });

  it('close hides only with the option on and the app not quitting', () => {
    const win = Object.assign(new EventEmitter(), { hide: vi.fn() });
    let keep = true;
    let quitting = false;
    setupCloseToTray(win as never, { closeToTray: () => keep, quitting: () => quitting });
    const close = () => {
      const event = { preventDefault: vi.fn() };
      win.emit('close', event);
      return event.preventDefault.mock.calls.length;
    };
    expect(close()).toBe(1);
    keep = false;
    expect(close()).toBe(0);
    keep = true;
    quitting = true;
    expect(close()).toBe(0);
    expect(unreadLabel(1)).toBe('1 unread message');
  });
});
