import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readSystemMemberships } from '../../../electron/core/os-memberships/system.js';
import type { ChatCore } from '../../../electron/core/types.js';
import { assembleMainSide } from '../../../electron/shell/assemble.js';
import { createCommandDispatcher, type DispatchCommand } from '../../../electron/shell/commands.js';
import { DEFAULT_WINDOW, SETTINGS_FILE, SETTINGS_VERSION, newPeerId, settingsSchema, type SavedRoom, type SettingsStore } from '../../../electron/shell/settings.js';
import type { AppNotice } from '../../../shared/ipc/contract.js';

/**
 * The main process's half of the page, without Electron: electron/main.ts's own assembly
 * (assembleMainSide: settings file, identity and trust store → core with its history folder →
 * the real command dispatcher; saved rooms joined once there is a nickname), with the core always
 * pinned to `pinnedIface` and notifications going nowhere. There is no OS keychain
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

  const side = await assembleMainSide({
    userDataDir: options.userDataDir,
    pinnedIface: options.pinnedIface,
    protector: null,
    fallbackNickname: 'guest',
    openExternal: options.openExternal,
    readMemberships: readSystemMemberships,
  });
  for (const notice of side.startupNotices) options.notice(notice);
  const dispatch = createCommandDispatcher(side.commandDeps({ notice: options.notice, onRendererReady: options.onRendererReady }));
  if (side.hasNickname) side.rejoin(options.notice);
  const { core, settings } = side;
  return { core, settings, dispatch };
}
