import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { z } from 'zod';
import { ChatError, toErrorInfo, type ChatErrorCode, type ChatErrorInfo } from '../../shared/errors.js';
import type { CoreEvent } from '../../shared/events.js';
import {
  COMMAND_NAMES,
  commandChannel,
  commandSchemas,
  eventChannel,
  type AppNotice,
  type CommandName,
  type CommandResults,
} from '../../shared/ipc/contract.js';
import { fail, ok, type Result } from '../../shared/ipc/result.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createEventBatcher, type EventBatcher } from '../core/event-batcher.js';
import { roomIdOf } from '../core/room.js';
import type { ChatCore } from '../core/types.js';
import type { SavedRoom, Settings, SettingsStore } from './settings.js';

/** About one animation frame, and a bound on one push's size. */
export const BATCH_WAIT_MS = 16;
export const BATCH_MAX_SIZE = 2000;
/** Events kept while the window is not listening; beyond this the oldest are dropped. */
export const MAX_HELD_EVENTS = 100_000;
const MAX_HELD_NOTICES = 20;

export type BridgeWindow = Pick<BrowserWindow, 'isDestroyed' | 'webContents'>;

export interface IpcBridgeDeps {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly core: ChatCore;
  readonly settings: SettingsStore;
  /** The app's one window, or null while there is none. */
  readonly getWindow: () => BridgeWindow | null;
  /** True for a URL of the app's own page (app://mcchat/… or the dev server). */
  readonly isAppUrl: (url: string) => boolean;
  /** shell.openExternal; only ever called with a checked http(s) URL. */
  readonly openExternal: (url: string) => Promise<void>;
  readonly appVersion: string;
  /** The --iface value: every room uses it. */
  readonly pinnedIface: string | null;
  readonly clock?: Clock;
  /** Called once when the user chooses a nickname for the first time (first run). */
  readonly onFirstNickname?: () => void;
}

export interface IpcBridge {
  /** Watches the window's page: pushes pause while it reloads or is gone, until rendererReady. */
  attachWindow(win: BridgeWindow): void;
  /** A banner for the user; held until the renderer is ready. */
  notice(notice: AppNotice): void;
  /** Removes the handlers and the core subscription. */
  dispose(): void;
}

type CommandInput<K extends CommandName> = z.output<(typeof commandSchemas)[K]>;
type Handlers = { [K in CommandName]: (arg: CommandInput<K>) => Promise<CommandResults[K]> | CommandResults[K] };

/** The answer to a call from anything but the app's own page. */
export const FORBIDDEN_SENDER: ChatErrorInfo = {
  code: 'INVALID_ARGUMENT',
  message: 'This request did not come from the Multicast Chat window and was refused.',
};

/** A call is trusted only from the main frame of the app's window, showing the app's own page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, win: BridgeWindow | null, isAppUrl: (url: string) => boolean): boolean {
  if (!win || win.isDestroyed()) return false;
  const contents = win.webContents;
  if (event.sender !== contents) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== contents.mainFrame) return false;
  return isAppUrl(frame.url);
}

const FIELD_ERRORS: Record<string, { code: ChatErrorCode; field: NonNullable<ChatErrorInfo['field']> }> = {
  group: { code: 'INVALID_GROUP', field: 'group' },
  port: { code: 'INVALID_PORT', field: 'port' },
  ttl: { code: 'INVALID_TTL', field: 'ttl' },
  iface: { code: 'INVALID_INTERFACE', field: 'iface' },
  name: { code: 'INVALID_ARGUMENT', field: 'name' },
};

/** A refused payload as an error the UI can show next to the right field. */
export function payloadError(command: CommandName, error: z.ZodError): ChatErrorInfo {
  const issue = error.issues[0];
  const message = issue?.message ?? 'Invalid value.';
  const key = issue?.path[0];
  if (command === 'setNickname' && issue?.code !== 'invalid_type') return { code: 'INVALID_NICKNAME', message, field: 'nickname' };
  if (typeof key === 'string') {
    if (key === 'text' && issue?.code === 'too_big') return { code: 'TEXT_TOO_LONG', message: 'The message is too long.', field: 'text' };
    if (key === 'text' && issue?.code === 'too_small') return { code: 'EMPTY_TEXT', message: 'The message is empty.', field: 'text' };
    const known = FIELD_ERRORS[key];
    if (known && issue?.code !== 'invalid_type') return { code: known.code, message, field: known.field };
  }
  const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
  return { code: 'INVALID_ARGUMENT', message: `${command}${where}: ${message}` };
}

/** Only http and https leave the app, and only as a whole, well-formed URL. */
export function checkExternalUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ChatError('INVALID_ARGUMENT', 'That link is not a valid web address.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ChatError('INVALID_ARGUMENT', `Only web links (http or https) can be opened, not "${url.protocol}" links.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ChatError('INVALID_ARGUMENT', 'Links with a user name or password in them are not opened.');
  }
  return url.href;
}

function savedRoomOf(room: { name: string; group: string; port: number; ttl: number; loopback: boolean }, iface: string | undefined): SavedRoom {
  return { name: room.name, group: room.group, port: room.port, ttl: room.ttl, loopback: room.loopback, ...(iface ? { iface } : {}) };
}

function upsertRoom(settings: Settings, room: SavedRoom): Settings {
  const id = roomIdOf(room.group, room.port);
  const others = settings.rooms.filter((r) => roomIdOf(r.group, r.port) !== id);
  const index = settings.rooms.findIndex((r) => roomIdOf(r.group, r.port) === id);
  const rooms = [...others];
  rooms.splice(index === -1 ? rooms.length : index, 0, room);
  return { ...settings, rooms };
}

/**
 * The IPC bridge: one handler per command of the contract, each checking its sender and
 * parsing its payload, answering with a Result envelope and never throwing across invoke.
 * Core events reach the window in batches, held until the renderer says it is ready.
 */
export function setupIpcBridge(deps: IpcBridgeDeps): IpcBridge {
  const { core, settings, pinnedIface } = deps;
  const clock = deps.clock ?? systemClock;
  let ready = false;
  let held = 0;
  let dropped = false;
  const heldNotices: AppNotice[] = [];

  const liveContents = () => {
    const win = deps.getWindow();
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return null;
    return win.webContents;
  };

  const push = (events: CoreEvent[]): void => {
    const contents = liveContents();
    if (!contents) return;
    // The batcher hands over everything held while paused at once: keep each push bounded.
    for (let start = 0; start < events.length; start += BATCH_MAX_SIZE) {
      contents.send(eventChannel('core'), events.slice(start, start + BATCH_MAX_SIZE));
    }
  };

  const makeBatcher = (): EventBatcher => {
    const next = createEventBatcher({ waitMs: BATCH_WAIT_MS, maxSize: BATCH_MAX_SIZE, clock, flush: push });
    next.setPaused(!ready);
    return next;
  };
  let batcher = makeBatcher();

  const sendNotice = (notice: AppNotice): void => {
    liveContents()?.send(eventChannel('notice'), notice);
  };

  const notice = (value: AppNotice): void => {
    if (ready && liveContents()) {
      sendNotice(value);
      return;
    }
    heldNotices.push(value);
    if (heldNotices.length > MAX_HELD_NOTICES) heldNotices.shift();
  };

  const pause = (): void => {
    ready = false;
    batcher.setPaused(true);
  };

  const resume = (): void => {
    ready = true;
    held = 0;
    batcher.setPaused(false);
    if (dropped) {
      dropped = false;
      heldNotices.push({ level: 'warning', message: 'The window was not listening for a while; some older events were dropped.' });
    }
    for (const value of heldNotices.splice(0)) sendNotice(value);
  };

  const unsubscribe = core.subscribe((event) => {
    if (!ready && ++held > MAX_HELD_EVENTS) {
      // A window that never comes back must not grow main's memory without bound.
      batcher.dispose();
      batcher = makeBatcher();
      held = 1;
      dropped = true;
    }
    batcher.add(event);
  });

  const persist = (change: (current: Settings) => Settings): void => {
    settings.update(change).catch((error: unknown) => {
      const detail = error instanceof Error ? error.message : String(error);
      notice({ level: 'error', message: `Your settings could not be saved (${detail}).` });
    });
  };

  const checkPinned = (iface: string | undefined): void => {
    if (pinnedIface !== null && iface !== undefined && iface !== pinnedIface) {
      throw new ChatError('INVALID_INTERFACE', `This window was started with --iface ${pinnedIface}: every room uses that interface.`, 'iface');
    }
  };

  const handlers: Handlers = {
    getState: () => ({
      appVersion: deps.appVersion,
      peerId: core.peerId,
      nickname: core.nickname,
      firstRun: settings.get().nickname === null,
      rooms: core.rooms(),
      interfaces: core.availableInterfaces(),
      pinnedIface,
    }),

    setNickname: (nickname) => {
      const chosen = core.setNickname(nickname);
      const first = settings.get().nickname === null;
      persist((s) => ({ ...s, nickname: chosen }));
      if (first) deps.onFirstNickname?.();
      return chosen;
    },

    joinRoom: async (config) => {
      checkPinned(config.iface);
      const room = await core.joinRoom(config);
      // The --iface value belongs to this run, not to the room: it is not saved with it.
      const iface = config.iface !== undefined && config.iface !== pinnedIface ? config.iface : undefined;
      persist((s) => upsertRoom(s, savedRoomOf(room, iface)));
      return room;
    },

    leaveRoom: async (roomId) => {
      const saved = settings.get().rooms.some((r) => roomIdOf(r.group, r.port) === roomId);
      try {
        await core.leaveRoom(roomId);
      } catch (error) {
        // A saved room that could not be rejoined at start is not in the core: forgetting it is still a leave.
        if (!(error instanceof ChatError && error.code === 'ROOM_NOT_FOUND' && saved)) throw error;
      }
      if (saved) persist((s) => ({ ...s, rooms: s.rooms.filter((r) => roomIdOf(r.group, r.port) !== roomId) }));
      return null;
    },

    setTtl: ({ roomId, ttl }) => {
      const room = core.setTtl(roomId, ttl);
      persist((s) => ({ ...s, rooms: s.rooms.map((r) => (roomIdOf(r.group, r.port) === roomId ? { ...r, ttl: room.ttl } : r)) }));
      return room;
    },

    sendMessage: ({ roomId, text, raw }) => core.send(roomId, text, { raw }),
    getPeers: (roomId) => core.peers(roomId),
    getCounters: (roomId) => core.counters(roomId),

    checkRoom: (config) => {
      checkPinned(config.iface);
      return core.checkRoom(config);
    },

    openExternal: async (text) => {
      await deps.openExternal(checkExternalUrl(text));
      return null;
    },

    rendererReady: () => {
      resume();
      return null;
    },
  };

  for (const name of COMMAND_NAMES) {
    const schema = commandSchemas[name];
    const handler = handlers[name] as (arg: unknown) => unknown;
    deps.ipcMain.handle(commandChannel(name), async (event: IpcMainInvokeEvent, arg: unknown): Promise<Result<unknown>> => {
      try {
        if (!isTrustedSender(event, deps.getWindow(), deps.isAppUrl)) return fail(FORBIDDEN_SENDER);
        const parsed = schema.safeParse(arg);
        if (!parsed.success) return fail(payloadError(name, parsed.error));
        return ok(await handler(parsed.data));
      } catch (error) {
        return fail(toErrorInfo(error));
      }
    });
  }

  return {
    attachWindow(win) {
      pause();
      const contents = win.webContents;
      contents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) pause();
      });
      contents.on('render-process-gone', pause);
      contents.on('destroyed', pause);
    },
    notice,
    dispose() {
      unsubscribe();
      batcher.dispose();
      for (const name of COMMAND_NAMES) deps.ipcMain.removeHandler(commandChannel(name));
    },
  };
}
