import type { App, PowerMonitor } from 'electron';
import { toErrorInfo } from '../../shared/errors.js';
import type { AppNotice } from '../../shared/ipc/contract.js';
import { LINGER_QUIET_MS, type LingerPolicy } from '../core/linger.js';
import type { ChatCore } from '../core/types.js';
import type { RoomKeyVault } from './room-keys.js';
import type { SavedRoom } from './settings.js';

/**
 * Leaving a room or quitting, the app stays to answer repairs of what it sent until the room is
 * quiet for 2 s, at most three (so quitting stays quick).
 */
export const APP_LINGER: LingerPolicy = { quietMs: LINGER_QUIET_MS, maxMs: 3_000 };

/** Longest the app waits for lingering, goodbyes and the last settings write when quitting. */
export const QUIT_TIMEOUT_MS = APP_LINGER.maxMs + 2_000;

export interface RejoinDeps {
  readonly core: Pick<ChatCore, 'joinRoom'>;
  /** Opens saved passphrase rooms' keys; without it such rooms wait for their passphrase. */
  readonly keys?: Pick<RoomKeyVault, 'restore'>;
  /** The --iface value wins over a room's saved interface. */
  readonly pinnedIface: string | null;
  readonly notice: (notice: AppNotice) => void;
}

/**
 * Joins the saved rooms one after the other. A room that fails (port taken, interface gone)
 * is reported and stays saved, so it is tried again at the next start.
 */
export async function rejoinSavedRooms(rooms: readonly SavedRoom[], deps: RejoinDeps): Promise<number> {
  let joined = 0;
  for (const room of rooms) {
    const iface = deps.pinnedIface ?? room.iface;
    const key = room.encrypted && room.key ? (deps.keys?.restore(room.key) ?? null) : null;
    if (room.encrypted && !key) {
      deps.notice({ level: 'info', message: `${room.name} (${room.group}:${room.port}) is a passphrase room: add it again with its passphrase to rejoin.` });
      continue;
    }
    try {
      await deps.core.joinRoom({ name: room.name, group: room.group, port: room.port, ttl: room.ttl, loopback: room.loopback, ...(iface ? { iface } : {}) }, key ? { key } : {});
      joined++;
    } catch (error) {
      const info = toErrorInfo(error);
      if (info.code === 'ROOM_EXISTS') continue;
      deps.notice({ level: 'warning', message: `Could not rejoin ${room.name} (${room.group}:${room.port}): ${info.message}` });
    }
  }
  return joined;
}

export interface QuitDeps {
  readonly app: Pick<App, 'on' | 'quit'>;
  /** Leaves every room (goodbyes) and flushes settings. */
  readonly shutdown: () => Promise<void>;
  readonly timeoutMs?: number;
}

/**
 * On quit: hold the quit once, say goodbye in every room and let the settings write finish,
 * then quit for real; a hung network never keeps the app from closing.
 */
export function setupQuit(deps: QuitDeps): void {
  let state: 'running' | 'stopping' | 'done' = 'running';
  deps.app.on('before-quit', (event) => {
    if (state === 'done') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, deps.timeoutMs ?? QUIT_TIMEOUT_MS).unref());
    void Promise.race([deps.shutdown().catch(() => undefined), timeout]).then(() => {
      state = 'done';
      deps.app.quit();
    });
  });
}

/**
 * After sleep the network may have changed and the other hosts may have dropped us: rejoin where
 * the interfaces changed and announce at once, without waiting for the core's next network poll.
 */
export function setupPowerHooks(powerMonitor: Pick<PowerMonitor, 'on'>, core: Pick<ChatCore, 'refresh'>): void {
  powerMonitor.on('resume', () => {
    void core.refresh().catch(() => undefined);
  });
}
