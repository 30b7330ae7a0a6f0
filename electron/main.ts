import { app, BrowserWindow, dialog, ipcMain, powerMonitor, protocol, safeStorage, screen, session, shell } from 'electron';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChatCore } from './core/chat-core.js';
import { loadOrCreateIdentity } from './core/crypto/identity-store.js';
import { TrustStore } from './core/crypto/trust-store.js';
import { openRoomHistory } from './core/history/index.js';
import { readSystemMemberships } from './core/os-memberships/system.js';
import { createRoomKeyVault } from './shell/room-keys.js';
import { osSecretProtector } from './shell/secrets.js';
import { APP_VERSION } from './core/version.js';
import { AppArgsError, parseAppArgs, profileUserDataPath, userArgv, type AppArgs } from './shell/app-args.js';
import { makeIsAppUrl, registerAppScheme, setupAppProtocol } from './shell/app-protocol.js';
import { checkExternalUrl } from './shell/commands.js';
import { setupIpcBridge } from './shell/ipc-bridge.js';
import { APP_LINGER, rejoinSavedRooms, setupPowerHooks, setupQuit } from './shell/lifecycle.js';
import { contentSecurityPolicy, setupSessionSecurity, setupWebContentsGuard } from './shell/security.js';
import { createSettingsStore, fallbackNickname, saveWindowState } from './shell/settings.js';
import { createMainWindow, currentBounds, loadAppPage } from './shell/window.js';

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

  const userData = app.getPath('userData');
  const settings = createSettingsStore({ dir: userData });
  const loaded = await settings.load();
  const protector = osSecretProtector(safeStorage);
  const identity = await loadOrCreateIdentity(userData, protector);
  const trust = await TrustStore.open(path.join(userData, 'trust.json'));
  const keys = createRoomKeyVault(protector);
  const core = createChatCore({
    nickname: loaded.settings.nickname ?? fallbackNickname(username()),
    identity: identity.identity,
    trust,
    appVersion: `multicast-chat/${APP_VERSION}`,
    ...(args.iface !== null ? { defaultIface: args.iface } : {}),
    openHistory: (roomId, historyOptions) => openRoomHistory(path.join(userData, 'history'), roomId, historyOptions),
    linger: APP_LINGER,
  });

  let win: BrowserWindow | null = null;
  const rejoin = (): void => {
    void rejoinSavedRooms(settings.get().rooms, { core, keys, pinnedIface: args.iface, notice: bridge.notice });
  };
  const bridge = setupIpcBridge({
    ipcMain,
    core,
    settings,
    keys,
    getWindow: () => win,
    isAppUrl: makeIsAppUrl(devServerUrl),
    openExternal,
    appVersion: APP_VERSION,
    pinnedIface: args.iface,
    // First run: the saved rooms wait for a nickname, so nobody sees a placeholder name join.
    onFirstNickname: rejoin,
    readMemberships: readSystemMemberships,
  });
  if (loaded.notice) bridge.notice(loaded.notice);
  for (const message of [identity.notice, trust.notice]) if (message) bridge.notice({ level: 'warning', message });

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
    created.on('closed', () => {
      if (win === created) win = null;
    });
    loadAppPage(created, devServerUrl).catch((error: unknown) => {
      process.stderr.write(`Multicast Chat: the window could not load its page: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  };

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (!win) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  setupPowerHooks(powerMonitor, core);
  setupQuit({
    app,
    shutdown: async () => {
      if (win && !win.isDestroyed()) void saveWindowState(settings, currentBounds(win)).catch(() => undefined);
      bridge.dispose();
      await core.close();
      await settings.flush();
    },
  });

  openWindow();
  if (loaded.settings.nickname !== null) rejoin();
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
