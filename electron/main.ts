import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, nativeTheme, Notification, powerMonitor, protocol, safeStorage, screen, session, shell, Tray } from 'electron';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppNotice } from '../shared/ipc/contract.js';
import type { Preferences } from '../shared/preferences.js';
import { readSystemMemberships } from './core/os-memberships/system.js';
import { assembleMainSide } from './shell/assemble.js';
import { createDesktopSigns, setupCloseToTray } from './shell/desktop-signs.js';
import { watchFocus } from './shell/focus.js';
import { osSecretProtector } from './shell/secrets.js';
import { TRAY_ICON_PNG, UNREAD_DOT_PNG } from './shell/tray-icons.js';
import { AppArgsError, parseAppArgs, profileUserDataPath, userArgv, type AppArgs } from './shell/app-args.js';
import { makeIsAppUrl, registerAppScheme, setupAppProtocol } from './shell/app-protocol.js';
import { checkExternalUrl } from './shell/commands.js';
import { setupIpcBridge } from './shell/ipc-bridge.js';
import { APP_LINGER, setupPowerHooks, setupQuit } from './shell/lifecycle.js';
import { contentSecurityPolicy, setupSessionSecurity, setupWebContentsGuard } from './shell/security.js';
import { fallbackNickname, saveWindowState } from './shell/settings.js';
import { createMainWindow, currentBounds, loadAppPage } from './shell/window.js';
import { publicNetworkNotice } from './shell/network-profile.js';
import { runProgram } from './cli/doctor/run-program.js';
import { powershellPath } from './cli/doctor/windows.js';

// Assembly only: every feature lives in electron/shell/ with its dependencies passed in.

const here = path.dirname(fileURLToPath(import.meta.url));

function startupFailed(message: string): void {
  process.stderr.write(`Multicast Chat: ${message}\n`);
  dialog.showErrorBox('Multicast Chat cannot start', message);
  app.exit(2);
}

function username(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}

// The app's one call of Electron's shell.openExternal. Its callers check the link already
// (commands.ts, security.ts); it is checked again here, so nothing but a parsed http(s) URL without
// credentials ever reaches the OS. Reviewed, OPEN_EXTERNAL_JS_CHECK: the argument is checkExternalUrl's result.
const openExternal = async (url: string): Promise<void> => shell.openExternal(checkExternalUrl(url)); // eng-disable OPEN_EXTERNAL_JS_CHECK

async function start(args: AppArgs, devServerUrl: string | null): Promise<void> {
  const csp = contentSecurityPolicy(devServerUrl);
  setupSessionSecurity(session.defaultSession, csp);
  if (devServerUrl === null) setupAppProtocol(protocol, { rootDir: path.join(here, '..', 'dist', 'renderer'), csp });

  const side = await assembleMainSide({
    userDataDir: app.getPath('userData'),
    pinnedIface: args.iface,
    protector: osSecretProtector(safeStorage),
    fallbackNickname: fallbackNickname(username()),
    openExternal,
    readMemberships: readSystemMemberships,
    linger: APP_LINGER,
  });
  const { core, settings, attention } = side;
  const preferences = (): Preferences => settings.get().preferences;
  // The page follows prefers-color-scheme, which follows themeSource: no theme code in the page.
  nativeTheme.themeSource = preferences().theme;

  let win: BrowserWindow | null = null;
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });

  const notice = (value: AppNotice): void => bridge.notice(value);
  const bridge = setupIpcBridge({
    ...side.commandDeps({
      notice,
      onRendererReady: () => undefined,
      onPreferences: (next) => {
        nativeTheme.themeSource = next.theme;
      },
    }),
    ipcMain,
    getWindow: () => win,
    isAppUrl: makeIsAppUrl(devServerUrl),
  });
  for (const message of side.startupNotices) bridge.notice(message);
  void publicNetworkNotice(process.platform, powershellPath(), runProgram).then((warning) => warning && bridge.notice(warning));

  const showWindow = (): void => {
    if (!win || win.isDestroyed()) {
      openWindow();
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const signs = createDesktopSigns({
    app,
    Notification,
    Tray,
    Menu,
    trayIcon: nativeImage.createFromBuffer(TRAY_ICON_PNG),
    overlayIcon: nativeImage.createFromBuffer(UNREAD_DOT_PNG),
    platform: process.platform,
    getWindow: () => win,
    showWindow,
    openRoom: (roomId) => bridge.openRoom(roomId),
    closeToTray: () => preferences().closeToTray,
    setCloseToTray: (on) => {
      void settings.update((s) => ({ ...s, preferences: { ...s.preferences, closeToTray: on } })).catch(() => undefined);
    },
    quit: () => app.quit(),
    title: args.profile ? `Multicast Chat (${args.profile})` : 'Multicast Chat',
  });
  side.setAttentionOutputs(signs);

  const openWindow = (): void => {
    const created = createMainWindow({
      preloadPath: path.join(here, 'preload.cjs'),
      bounds: settings.get().window,
      displays: screen.getAllDisplays().map((d) => d.workArea),
      profile: args.profile,
      onBoundsChange: (bounds) => void saveWindowState(settings, bounds).catch(() => undefined),
    });
    win = created;
    bridge.attachWindow(created);
    watchFocus(created, attention);
    // Hidden to the tray only when there is a tray to come back from.
    setupCloseToTray(created, { closeToTray: () => preferences().closeToTray && signs.hasTray(), quitting: () => quitting });
    created.on('closed', () => {
      if (win === created) win = null;
      attention.setFocused(false);
    });
    loadAppPage(created, devServerUrl).catch((error: unknown) => {
      process.stderr.write(`Multicast Chat: the window could not load its page: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  };

  // A second start of this profile (the lock is per user data folder) brings this window back.
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  setupPowerHooks(powerMonitor, core);
  setupQuit({
    app,
    shutdown: async () => {
      if (win && !win.isDestroyed()) void saveWindowState(settings, currentBounds(win)).catch(() => undefined);
      bridge.dispose();
      attention.dispose();
      signs.dispose();
      await core.close();
      await settings.flush();
    },
  });

  openWindow();
  if (side.hasNickname) side.rejoin(notice);
}

function main(): void {
  let args: AppArgs;
  try {
    args = parseAppArgs(userArgv(process.argv, app.isPackaged), process.env);
  } catch (error) {
    if (error instanceof AppArgsError) {
      startupFailed(error.message);
      return;
    }
    throw error;
  }

  // Before anything reads it: a profile gets its own folder, settings and single-instance lock.
  app.setPath('userData', profileUserDataPath(app.getPath('userData'), args.profile));
  if (!app.requestSingleInstanceLock()) {
    // The running window of this profile was told (second-instance) and comes to the front.
    app.quit();
    return;
  }
  if (process.platform === 'win32') app.setAppUserModelId('net.multicastchat.app');
  app.enableSandbox();
  registerAppScheme(protocol);
  setupWebContentsGuard(app, openExternal);

  // Only an unpackaged app follows the dev server: a packaged one never loads a URL from the environment.
  const devServerUrl = !app.isPackaged && process.env.VITE_DEV_SERVER_URL ? process.env.VITE_DEV_SERVER_URL : null;
  app
    .whenReady()
    .then(() => start(args, devServerUrl))
    .catch((error: unknown) => startupFailed(error instanceof Error ? error.message : String(error)));
}

main();
