import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EventEmitter } = require('node:events') as typeof import('node:events');
  class FakeBrowserWindow extends EventEmitter {
    static created: FakeBrowserWindow[] = [];
    readonly options: Record<string, unknown>;
    shown = false;
    destroyed = false;
    title = '';
    bounds = { x: 0, y: 0, width: 0, height: 0 };
    loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      this.bounds = { x: (options.x as number) ?? 0, y: (options.y as number) ?? 0, width: options.width as number, height: options.height as number };
      FakeBrowserWindow.created.push(this);
    }
    show(): void {
      this.shown = true;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    setTitle(title: string): void {
      this.title = title;
    }
    getNormalBounds() {
      return { ...this.bounds };
    }
    async loadURL(url: string): Promise<void> {
      this.loaded.push(url);
    }
  }
  return { BrowserWindow: FakeBrowserWindow, nativeTheme: { shouldUseDarkColors: false } };
});

vi.mock('electron', () => electron);

const { createMainWindow, loadAppPage, mainWindowFrame, visibleBounds, BOUNDS_SAVE_DELAY_MS, MIN_WIDTH } = await import('./window.js');

type Fake = InstanceType<typeof electron.BrowserWindow>;

const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];

function open(overrides: Partial<Parameters<typeof createMainWindow>[0]> = {}) {
  const onBoundsChange = vi.fn();
  const win = createMainWindow({
    preloadPath: '/app/dist-electron/preload.cjs',
    bounds: { width: 1000, height: 700, x: 100, y: 50 },
    displays,
    profile: null,
    onBoundsChange,
    ...overrides,
  }) as unknown as Fake;
  return { win, onBoundsChange };
}

describe('main window', () => {
  beforeEach(() => {
    electron.BrowserWindow.created = [];
    electron.nativeTheme.shouldUseDarkColors = false;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('isolates the page: context isolation, sandbox, no Node, web security, the bundled preload', () => {
    const { win } = open();
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(win.options.show).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('matches the OS theme before the page paints', () => {
    expect(open().win.options.backgroundColor).toBe('#ffffff');
    electron.nativeTheme.shouldUseDarkColors = true;
    expect(open().win.options.backgroundColor).toBe('#1b1d21');
  });

  it('restores the saved size and position, dropping a position that is off every screen', () => {
    expect(open().win.options).toMatchObject({ width: 1000, height: 700, x: 100, y: 50 });
    const off = visibleBounds({ width: 800, height: 600, x: 5000, y: 5000 }, displays);
    expect(off).toEqual({ width: 800, height: 600 });
    expect(visibleBounds({ width: 10, height: 10 }, displays).width).toBe(MIN_WIDTH);
  });

  it('saves the bounds once the window has been still, and on close', () => {
    vi.useFakeTimers();
    const { win, onBoundsChange } = open();
    win.bounds = { x: 10, y: 20, width: 1200, height: 800 };
    win.emit('resize');
    win.emit('move');
    win.emit('resize');
    expect(onBoundsChange).not.toHaveBeenCalled();
    vi.advanceTimersByTime(BOUNDS_SAVE_DELAY_MS);
    expect(onBoundsChange).toHaveBeenCalledTimes(1);
    expect(onBoundsChange).toHaveBeenCalledWith({ x: 10, y: 20, width: 1200, height: 800 });
    win.emit('close');
    expect(onBoundsChange).toHaveBeenCalledTimes(2);
  });

  it('keeps the profile name in the title', () => {
    const { win } = open({ profile: 'bob' });
    expect(win.options.title).toBe('Multicast Chat (bob)');
    const event = { preventDefault: vi.fn() };
    win.emit('page-title-updated', event, 'Lobby — Multicast Chat');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(win.title).toBe('Lobby — Multicast Chat (bob)');
  });

  it('loads the dev server in development and app://mcchat/index.html otherwise', async () => {
    const a = open().win;
    await loadAppPage(a as never, null);
    expect(a.loaded).toEqual(['app://mcchat/index.html']);
    const b = open().win;
    await loadAppPage(b as never, 'http://localhost:5173/');
    expect(b.loaded).toEqual(['http://localhost:5173/']);
  });

  it('never turns the sandbox off, whatever the inputs: the frame carries no web preferences to override them', () => {
    expect(mainWindowFrame({ bounds: { width: 1, height: 1 }, displays: [], profile: null }, true).webPreferences).toBeUndefined();
    for (const profile of [null, 'bob']) {
      const prefs = open({ profile, bounds: { width: 1, height: 1 }, displays: [] }).win.options.webPreferences as Record<string, unknown>;
      expect(prefs.sandbox).toBe(true);
      expect(prefs.contextIsolation).toBe(true);
      expect(prefs.nodeIntegration).toBe(false);
    }
  });
});
