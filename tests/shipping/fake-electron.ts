import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { BrowserWindowConstructorOptions, HandlerDetails, IpcMainInvokeEvent, WindowOpenHandlerResponse } from 'electron';
import { FakeIpcMain, FakeWebContents, type FakeFrame } from '../../electron/shell/testing/fake-electron.js';

/**
 * The `electron` module as the BUILT main process (dist-electron/main.js) sees it in
 * tests/shipping: main-driver.ts maps the specifier 'electron' here before it imports the bundle.
 * Bundled by esbuild into one .mjs, so the child process runs plain Node with no TypeScript loader
 * that could paper over an ESM/CJS mistake in the bundle.
 *
 * It behaves like Electron where a mistake in main would show (no window, session or protocol
 * handler before `ready`, schemes and the sandbox only before it, a quit that can be held, one
 * handler per IPC channel) and records the rest for the test to read. It has no desktop and
 * no network. A name that main imports and this module lacks fails at link time ("does not provide
 * an export named …"): add it here, it is not a bundling error.
 */

class PreventableEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

type SchemeHandler = (request: Request) => Promise<Response> | Response;

interface PageLoad {
  url: string;
  status: number;
  contentType: string | null;
}

const log: string[] = [];
const note = (entry: string): void => {
  log.push(entry);
};

/** Electron's default on Linux is $XDG_CONFIG_HOME/<productName>; never the real ~/.config. */
function defaultUserData(): string {
  const base = process.env.XDG_CONFIG_HOME;
  if (!base) throw new Error('fake electron: XDG_CONFIG_HOME must name a temporary folder');
  return path.join(base, 'Multicast Chat');
}

const state = {
  ready: false,
  userData: defaultUserData(),
  windows: [] as FakeBrowserWindow[],
  trays: [] as FakeTray[],
  notifications: [] as FakeNotification[],
  schemes: new Map<string, SchemeHandler>(),
  pages: [] as PageLoad[],
  errorBoxes: [] as string[],
  badge: [] as number[],
  exitCode: null as number | null,
};

/** Called when the app exits (quit finished, or app.exit): the driver reports and ends the process. */
const control = {
  exit: (code: number): void => {
    process.exit(code);
  },
};

function requireReady(what: string): void {
  if (!state.ready) throw new Error(`${what} cannot be used before the app is ready`);
}

class ShippingWebContents extends FakeWebContents {
  windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;

  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }
}

/** The scheme handler's answer to a request, as Chromium would get it (app:// is handled in main). */
async function fetchThroughScheme(url: string): Promise<{ status: number; contentType: string | null; text: string }> {
  const scheme = new URL(url).protocol.replace(/:$/, '');
  const handler = state.schemes.get(scheme);
  if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME (${url})`);
  const response = await handler(new Request(url));
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

class FakeBrowserWindow extends EventEmitter {
  readonly webContents: ShippingWebContents;
  readonly options: BrowserWindowConstructorOptions;
  visible: boolean;
  destroyed = false;
  title: string;

  constructor(options: BrowserWindowConstructorOptions = {}) {
    super();
    // Electron throws here too: a window made before `ready` is a real startup bug.
    requireReady('BrowserWindow');
    this.options = options;
    this.visible = options.show !== false;
    this.title = options.title ?? '';
    this.webContents = new ShippingWebContents('about:blank');
    state.windows.push(this);
    note('new BrowserWindow');
    // Electron announces every new web contents; main's guard (security.ts) hooks in here.
    app.emit('web-contents-created', new PreventableEvent(), this.webContents);
  }

  /** Navigates the main frame; app:// goes through the handler main registered, as in Chromium. */
  async loadURL(url: string): Promise<void> {
    note(`loadURL ${url}`);
    (this.webContents.mainFrame as FakeFrame).url = url;
    if (new URL(url).protocol === 'app:') {
      const page = await fetchThroughScheme(url);
      state.pages.push({ url, status: page.status, contentType: page.contentType });
      if (page.status >= 400) throw new Error(`ERR_HTTP_RESPONSE_CODE_FAILURE (${page.status}) loading '${url}'`);
    }
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  isFocused(): boolean {
    return false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  show(): void {
    this.visible = true;
    note('window.show');
  }
  hide(): void {
    this.visible = false;
    this.emit('hide');
  }
  focus(): void {}
  restore(): void {}
  setTitle(title: string): void {
    this.title = title;
  }
  setOverlayIcon(): void {}
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: this.options.x ?? 0, y: this.options.y ?? 0, width: this.options.width ?? 800, height: this.options.height ?? 600 };
  }

  /** A close can be held by a 'close' listener (close-to-tray); otherwise the window is destroyed. */
  close(): void {
    if (this.destroyed) return;
    const event = new PreventableEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.webContents.emit('destroyed');
    this.emit('closed');
    if (!app.quitting && state.windows.every((w) => w.destroyed)) app.emit('window-all-closed');
  }

  static getAllWindows(): FakeBrowserWindow[] {
    return state.windows.filter((w) => !w.destroyed);
  }
}

class FakeApp extends EventEmitter {
  readonly isPackaged = false;
  quitting = false;
  private readonly readyPromise: Promise<void>;
  private resolveReady: () => void = () => undefined;

  constructor() {
    super();
    this.readyPromise = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
  }

  getPath(name: string): string {
    if (name === 'userData') return state.userData;
    // Anything else lands next to the temporary config folder, never in the real home.
    return path.join(path.dirname(defaultUserData()), '..', `electron-${name}`);
  }
  setPath(name: string, value: string): void {
    if (state.ready && name === 'userData') throw new Error('userData must be set before the app is ready');
    note(`setPath ${name}`);
    if (name === 'userData') state.userData = value;
  }
  getName(): string {
    return 'Multicast Chat';
  }
  getVersion(): string {
    return '0.0.0-fake';
  }
  requestSingleInstanceLock(): boolean {
    note('requestSingleInstanceLock');
    return true;
  }
  enableSandbox(): void {
    if (state.ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    note('enableSandbox');
  }
  setAppUserModelId(): void {}
  setBadgeCount(count: number): boolean {
    state.badge.push(count);
    return true;
  }
  isReady(): boolean {
    return state.ready;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  /** The driver's "the OS is done launching us". */
  emitReady(): void {
    state.ready = true;
    note('ready');
    this.emit('ready', new PreventableEvent(), {});
    this.resolveReady();
  }

  /** Electron's order: before-quit (can hold), close every window (each can hold), will-quit, quit, exit 0. */
  quit(): void {
    note('app.quit');
    if (this.quitting) return;
    const before = new PreventableEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) {
      note('quit held by before-quit');
      return;
    }
    this.quitting = true;
    for (const win of state.windows) {
      win.close();
      if (!win.destroyed) {
        this.quitting = false;
        note('quit cancelled by a window');
        return;
      }
    }
    const will = new PreventableEvent();
    this.emit('will-quit', will);
    if (will.defaultPrevented) {
      this.quitting = false;
      return;
    }
    this.emit('quit', new PreventableEvent(), 0);
    note('quit');
    setImmediate(() => this.exit(0));
  }

  exit(code = 0): void {
    note(`exit ${code}`);
    state.exitCode = code;
    control.exit(code);
  }
}

class FakeTray extends EventEmitter {
  destroyed = false;
  tooltip = '';
  constructor(_image: unknown) {
    super();
    state.trays.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(): void {}
  setTitle(): void {}
  destroy(): void {
    this.destroyed = true;
  }
}

class FakeNotification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title?: string; body?: string }) {
    super();
    state.notifications.push(this);
  }
  show(): void {}
  close(): void {}
}

const app = new FakeApp();
const ipcMain = new FakeIpcMain();

const defaultSession = {
  setPermissionRequestHandler: (): void => note('setPermissionRequestHandler'),
  setPermissionCheckHandler: (): void => note('setPermissionCheckHandler'),
  webRequest: { onHeadersReceived: (): void => note('onHeadersReceived') },
};

/** What the test reads from the child: plain JSON, no live objects. */
export interface ShippingSnapshot {
  readonly log: readonly string[];
  readonly ready: boolean;
  readonly userData: string;
  readonly windows: readonly { options: BrowserWindowConstructorOptions; url: string; visible: boolean; destroyed: boolean; guarded: boolean }[];
  readonly handlers: readonly string[];
  readonly schemes: readonly string[];
  readonly pages: readonly PageLoad[];
  readonly trays: readonly { destroyed: boolean }[];
  readonly notifications: number;
  readonly errorBoxes: readonly string[];
  readonly exitCode: number | null;
}

function snapshot(): ShippingSnapshot {
  return {
    log: [...log],
    ready: state.ready,
    userData: state.userData,
    windows: state.windows.map((w) => ({
      options: w.options,
      url: w.webContents.mainFrame.url,
      visible: w.visible,
      destroyed: w.destroyed,
      guarded: w.webContents.windowOpenHandler !== null,
    })),
    handlers: [...ipcMain.handlers.keys()],
    schemes: [...state.schemes.keys()],
    pages: [...state.pages],
    trays: state.trays.map((t) => ({ destroyed: t.destroyed })),
    notifications: state.notifications.length,
    errorBoxes: [...state.errorBoxes],
    exitCode: state.exitCode,
  };
}

/**
 * One ipcRenderer.invoke from the window's page. By default from its main frame, whose URL is
 * what the window loaded (app://mcchat/index.html): what the bridge's sender check looks at.
 * `frameUrl` makes it come from another frame with that URL instead.
 */
async function invokeFromWindow(channel: string, arg: unknown, frameUrl?: string): Promise<unknown> {
  const win = state.windows.find((w) => !w.destroyed);
  if (!win) throw new Error('no open window to invoke from');
  const contents = win.webContents;
  const event = { sender: contents, senderFrame: frameUrl === undefined ? contents.mainFrame : { url: frameUrl } };
  return ipcMain.invoke(channel, event as unknown as IpcMainInvokeEvent & { senderFrame: FakeFrame }, arg);
}

/** The driver's handle on the fake; not part of Electron. */
export const shipping = { control, snapshot, invokeFromWindow, fetchThroughScheme, emitReady: () => app.emitReady(), quit: () => app.quit() };

export { app, ipcMain, FakeBrowserWindow as BrowserWindow, FakeTray as Tray, FakeNotification as Notification };

export const protocol = {
  registerSchemesAsPrivileged: (schemes: readonly { scheme: string }[]): void => {
    // Electron ignores (and warns about) a late call: the page would then have no secure origin.
    if (state.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    note(`registerSchemesAsPrivileged ${schemes.map((s) => s.scheme).join(',')}`);
  },
  handle: (scheme: string, handler: SchemeHandler): void => {
    requireReady('protocol.handle');
    if (state.schemes.has(scheme)) throw new Error(`scheme ${scheme} is already handled`);
    state.schemes.set(scheme, handler);
    note(`protocol.handle ${scheme}`);
  },
};

export const session = {
  get defaultSession(): typeof defaultSession {
    requireReady('session');
    return defaultSession;
  },
};

export const screen = {
  getAllDisplays: (): { workArea: { x: number; y: number; width: number; height: number } }[] => {
    requireReady('screen');
    return [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
  },
};

export const dialog = {
  showErrorBox: (title: string, content: string): void => {
    state.errorBoxes.push(`${title}: ${content}`);
  },
};

export const shell = {
  // Recorded, never opened: nothing in this test may reach the desktop.
  openExternal: async (url: string): Promise<void> => note(`openExternal ${url}`),
};

// No keychain: the identity is kept in a 0600 file under the temporary userData.
export const safeStorage = {
  isEncryptionAvailable: (): boolean => false,
  getSelectedStorageBackend: (): string => 'basic_text',
  encryptString: (): Buffer => {
    throw new Error('no keychain in the fake');
  },
  decryptString: (): string => {
    throw new Error('no keychain in the fake');
  },
};

export const nativeTheme = Object.assign(new EventEmitter(), { themeSource: 'system', shouldUseDarkColors: false });
export const powerMonitor = new EventEmitter();
export const Menu = { buildFromTemplate: (items: readonly unknown[]): { items: readonly unknown[] } => ({ items }) };
export const nativeImage = {
  createFromBuffer: (buffer: Buffer): { isEmpty(): boolean } => ({ isEmpty: () => buffer.length === 0 }),
};
