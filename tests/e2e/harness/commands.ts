import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createChatCore } from '../../../electron/core/chat-core.js';
import { loadOrCreateIdentity } from '../../../electron/core/crypto/identity-store.js';
import { TrustStore } from '../../../electron/core/crypto/trust-store.js';
import { openRoomHistory } from '../../../electron/core/history/index.js';
import { readSystemMemberships } from '../../../electron/core/os-memberships/system.js';
import type { ChatCore } from '../../../electron/core/types.js';
import { APP_VERSION } from '../../../electron/core/version.js';
import { createCommandDispatcher, type DispatchCommand } from '../../../electron/shell/commands.js';
import { rejoinSavedRooms } from '../../../electron/shell/lifecycle.js';
import { createRoomKeyVault } from '../../../electron/shell/room-keys.js';
import { DEFAULT_WINDOW, SETTINGS_FILE, SETTINGS_VERSION, createSettingsStore, newPeerId, settingsSchema, type SavedRoom, type SettingsStore } from '../../../electron/shell/settings.js';
import type { AppNotice } from '../../../shared/ipc/contract.js';

/**
 * The main process's half of the page, without Electron: the same assembly as electron/main.ts
 * (settings file, identity and trust store → core with its history folder → the real command
 * dispatcher, which answers getHistory and searchHistory from the core; saved rooms joined once
 * there is a nickname), with the core always pinned to `pinnedIface`. There is no OS keychain
 * here: the identity file is protected by its permissions only, and passphrase rooms' keys are
 * not saved, as in the app on a system without one. The WebSocket bridge in core-server.ts calls
 * `dispatch` where the IPC bridge would.
 */
export type Dispatch = DispatchCommand;

export interface MainSide {
  readonly core: ChatCore;
  readonly settings: SettingsStore;
  readonly dispatch: Dispatch;
}

export interface MainSideOptions {
  /** A fresh user data folder: settings.json is written there before the store loads it. */
  readonly userDataDir: string;
  /** null: a first run (the page asks for a nickname; saved rooms wait for it). */
  readonly nickname: string | null;
  readonly savedRooms: readonly SavedRoom[];
  /** The --iface value; the core uses it for every room. */
  readonly pinnedIface: string;
  readonly openExternal: (url: string) => Promise<void>;
  readonly notice: (notice: AppNotice) => void;
  readonly onRendererReady: () => void;
}

export async function createMainSide(options: MainSideOptions): Promise<MainSide> {
  await mkdir(options.userDataDir, { recursive: true });
  const initial = settingsSchema.parse({
    version: SETTINGS_VERSION,
    peerId: newPeerId(),
    nickname: options.nickname,
    rooms: options.savedRooms,
    window: DEFAULT_WINDOW,
  });
  await writeFile(path.join(options.userDataDir, SETTINGS_FILE), `${JSON.stringify(initial, null, 2)}\n`);

  const settings = createSettingsStore({ dir: options.userDataDir });
  const loaded = await settings.load();
  if (loaded.notice) options.notice(loaded.notice);
  const identity = await loadOrCreateIdentity(options.userDataDir, null);
  const trust = await TrustStore.open(path.join(options.userDataDir, 'trust.json'));
  const keys = createRoomKeyVault(null);
  const core = createChatCore({
    nickname: loaded.settings.nickname ?? 'guest',
    identity: identity.identity,
    trust,
    appVersion: `multicast-chat/${APP_VERSION}`,
    defaultIface: options.pinnedIface,
    // As in the app: one history file per room, here inside the test's throwaway user data folder.
    openHistory: (roomId, historyOptions) => openRoomHistory(path.join(options.userDataDir, 'history'), roomId, historyOptions),
  });
  const rejoin = (): void => {
    void rejoinSavedRooms(settings.get().rooms, { core, keys, pinnedIface: options.pinnedIface, notice: options.notice });
  };
  const dispatch = createCommandDispatcher({
    core,
    settings,
    keys,
    appVersion: APP_VERSION,
    pinnedIface: options.pinnedIface,
    openExternal: options.openExternal,
    notice: options.notice,
    onRendererReady: options.onRendererReady,
    onFirstNickname: rejoin,
    readMemberships: readSystemMemberships,
  });
  if (loaded.settings.nickname !== null) rejoin();
  return { core, settings, dispatch };
}
