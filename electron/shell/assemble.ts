import path from 'node:path';
import type { OsMemberships } from '../../shared/group-view.js';
import type { AppNotice } from '../../shared/ipc/contract.js';
import type { Preferences } from '../../shared/preferences.js';
import { createChatCore } from '../core/chat-core.js';
import { loadOrCreateIdentity, type SecretProtector } from '../core/crypto/identity-store.js';
import { TrustStore } from '../core/crypto/trust-store.js';
import { openRoomHistory } from '../core/history/index.js';
import type { LingerPolicy } from '../core/linger.js';
import type { ChatCore } from '../core/types.js';
import { APP_VERSION } from '../core/version.js';
import { createAttention, type Attention, type AttentionNotification } from './attention.js';
import type { CommandDeps } from './commands.js';
import { rejoinSavedRooms } from './lifecycle.js';
import { createRoomKeyVault, type RoomKeyVault } from './room-keys.js';
import { createSettingsStore, type SettingsStore } from './settings.js';

/**
 * The main process without its windows: settings file, identity and trust store → the core with
 * its history folder → what the command dispatcher needs, and the attention tracker (unread and
 * notifications) with pluggable outputs. electron/main.ts adds Electron's IPC, window, tray and
 * notifications; the end-to-end harness adds a WebSocket. Both call this, so they cannot drift.
 */

export interface AssembleOptions {
  /** The user data folder (per profile). */
  readonly userDataDir: string;
  /** --iface: every room uses it and the page cannot choose another. */
  readonly pinnedIface: string | null;
  /** The OS keychain, or null: the identity is then protected by file permissions only. */
  readonly protector: SecretProtector | null;
  /** The name announced until the user has chosen one. */
  readonly fallbackNickname: string;
  readonly openExternal: (url: string) => Promise<void>;
  readonly readMemberships: () => Promise<OsMemberships>;
  readonly linger?: LingerPolicy;
}

/** Where notifications and the unread total go: the desktop in the app, nowhere (or a test's list) elsewhere. */
export interface AttentionOutputs {
  notify(notification: AttentionNotification): void;
  withdraw(roomId: string): void;
  setUnread(total: number): void;
}

export interface Assembled {
  readonly core: ChatCore;
  readonly settings: SettingsStore;
  readonly keys: RoomKeyVault;
  readonly attention: Attention;
  /** Damaged settings, identity or trust files: to show once the page listens. */
  readonly startupNotices: readonly AppNotice[];
  /** True when a nickname was chosen before: rooms can be rejoined at once. */
  readonly hasNickname: boolean;
  setAttentionOutputs(outputs: AttentionOutputs): void;
  /** Everything the dispatcher needs but the transport's own parts. */
  commandDeps(transport: Pick<CommandDeps, 'notice' | 'onRendererReady'> & { onPreferences?: (p: Preferences) => void }): CommandDeps;
  /** Joins the saved rooms (after the first nickname, or at start). */
  rejoin(notice: (notice: AppNotice) => void): void;
}

const NO_OUTPUTS: AttentionOutputs = { notify: () => undefined, withdraw: () => undefined, setUnread: () => undefined };

export async function assembleMainSide(options: AssembleOptions): Promise<Assembled> {
  const userData = options.userDataDir;
  const settings = createSettingsStore({ dir: userData });
  const loaded = await settings.load();
  const identity = await loadOrCreateIdentity(userData, options.protector);
  const trust = await TrustStore.open(path.join(userData, 'trust.json'));
  const keys = createRoomKeyVault(options.protector);
  // --iface wins; else the interface chosen in Settings (read at start: the core takes it once).
  const defaultIface = options.pinnedIface ?? loaded.settings.preferences.defaultIface;
  const core = createChatCore({
    nickname: loaded.settings.nickname ?? options.fallbackNickname,
    identity: identity.identity,
    trust,
    appVersion: `multicast-chat/${APP_VERSION}`,
    ...(defaultIface !== null ? { defaultIface } : {}),
    openHistory: (roomId, historyOptions) => openRoomHistory(path.join(userData, 'history'), roomId, historyOptions),
    ...(options.linger ? { linger: options.linger } : {}),
  });

  let outputs = NO_OUTPUTS;
  const attention = createAttention({
    subscribe: (listener) => core.subscribe(listener),
    nickname: () => core.nickname,
    roomName: (roomId) => core.rooms().find((r) => r.roomId === roomId)?.name ?? roomId,
    preferences: () => settings.get().preferences,
    notify: (n) => outputs.notify(n),
    withdraw: (roomId) => outputs.withdraw(roomId),
    onUnread: (total) => outputs.setUnread(total),
  });

  const startupNotices: AppNotice[] = [];
  if (loaded.notice) startupNotices.push(loaded.notice);
  for (const message of [identity.notice, trust.notice]) if (message) startupNotices.push({ level: 'warning', message });

  const rejoin = (notice: (notice: AppNotice) => void): void => {
    void rejoinSavedRooms(settings.get().rooms, { core, keys, pinnedIface: options.pinnedIface, notice });
  };

  return {
    core,
    settings,
    keys,
    attention,
    startupNotices,
    hasNickname: loaded.settings.nickname !== null,
    setAttentionOutputs: (next) => {
      outputs = next;
    },
    commandDeps: (transport) => ({
      core,
      settings,
      keys,
      appVersion: APP_VERSION,
      pinnedIface: options.pinnedIface,
      openExternal: options.openExternal,
      readMemberships: options.readMemberships,
      notice: transport.notice,
      onRendererReady: transport.onRendererReady,
      // First run: the saved rooms wait for a nickname, so nobody sees a placeholder name join.
      onFirstNickname: () => rejoin(transport.notice),
      onViewState: (roomId) => attention.setView(roomId),
      ...(transport.onPreferences ? { onPreferences: transport.onPreferences } : {}),
    }),
    rejoin,
  };
}
