import { BrowserWindow, nativeTheme, type BrowserWindowConstructorOptions, type Rectangle } from 'electron';
import { APP_INDEX_URL } from './app-protocol.js';
import type { WindowState } from './settings.js';

export const MIN_WIDTH = 640;
export const MIN_HEIGHT = 420;
/** Moving and resizing fire many events: save once the window has been still for this long. */
export const BOUNDS_SAVE_DELAY_MS = 500;

export interface MainWindowOptions {
  /** Absolute path of the bundled preload (dist-electron/preload.cjs). */
  readonly preloadPath: string;
  /** Saved size and position. */
  readonly bounds: WindowState;
  /** Work areas of the connected displays: a saved position off every screen is dropped. */
  readonly displays: readonly Rectangle[];
  /** Shown in the title so two profiles on one host are easy to tell apart. */
  readonly profile: string | null;
  /** Called (debounced) with the window's normal bounds after it moved or was resized. */
  readonly onBoundsChange: (bounds: WindowState) => void;
}

function intersects(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The saved bounds, without x/y when that position would be off every display (monitor unplugged). */
export function visibleBounds(saved: WindowState, displays: readonly Rectangle[]): WindowState {
  const width = Math.max(MIN_WIDTH, saved.width);
  const height = Math.max(MIN_HEIGHT, saved.height);
  if (saved.x === undefined || saved.y === undefined) return { width, height };
  const rect = { x: saved.x, y: saved.y, width, height };
  return displays.some((d) => intersects(rect, d)) ? rect : { width, height };
}

/** Size, position, title and colour of the main window: everything but its web preferences (see createMainWindow). */
export function mainWindowFrame(options: Pick<MainWindowOptions, 'bounds' | 'displays' | 'profile'>, dark: boolean): BrowserWindowConstructorOptions {
  return {
    ...visibleBounds(options.bounds, options.displays),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: options.profile ? `Multicast Chat (${options.profile})` : 'Multicast Chat',
    show: false,
    // The page follows prefers-color-scheme; the empty window before it paints matches.
    backgroundColor: dark ? '#1b1d21' : '#ffffff',
  };
}

/** Creates the main window (hidden until it has painted) and saves its bounds as they change. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  // The renderer gets no Node, an isolated preload and Chromium's sandbox. The web preferences are
  // written out in the constructor call itself, after the frame, so nothing can override them and
  // electronegativity (tests/security), which reads only this literal, sees every one of them.
  // Reviewed, AUXCLICK_JS_CHECK: it asks for disableBlinkFeatures: 'Auxclick', a Blink flag that no
  // longer exists (electron#10315), so it would change nothing; a middle click on a link opens no
  // window because setWindowOpenHandler (security.ts) denies every new window.
  const win = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK
    ...mainWindowFrame(options, nativeTheme.shouldUseDarkColors),
    webPreferences: {
      // Reviewed, PRELOAD_JS_CHECK: the preload (electron/preload.ts) gives the page one frozen object
      // of command functions through contextBridge; ipcRenderer itself never crosses.
      preload: options.preloadPath, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
    },
  });
  win.once('ready-to-show', () => win.show());

  if (options.profile) {
    // Keep the profile in the title whatever the page calls itself.
    const suffix = ` (${options.profile})`;
    win.on('page-title-updated', (event, title) => {
      event.preventDefault();
      win.setTitle(title.endsWith(suffix) ? title : `${title}${suffix}`);
    });
  }

  let timer: ReturnType<typeof setTimeout> | null = null;
  const saveBounds = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    options.onBoundsChange(currentBounds(win));
  };
  const scheduleSave = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(saveBounds, BOUNDS_SAVE_DELAY_MS);
  };
  win.on('resize', scheduleSave);
  win.on('move', scheduleSave);
  win.on('close', saveBounds);
  return win;
}

/** Size and position of the window when neither maximized nor minimized. */
export function currentBounds(win: Pick<BrowserWindow, 'getNormalBounds'>): WindowState {
  const { x, y, width, height } = win.getNormalBounds();
  return { x, y, width, height };
}

/** The dev server's page in development, the packaged page over app:// otherwise. */
export function appPageUrl(devServerUrl: string | null): string {
  return devServerUrl ?? APP_INDEX_URL;
}

export function loadAppPage(win: Pick<BrowserWindow, 'loadURL'>, devServerUrl: string | null): Promise<void> {
  return win.loadURL(appPageUrl(devServerUrl));
}
