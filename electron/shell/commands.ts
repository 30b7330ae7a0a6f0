import type { z } from 'zod';
import { ChatError, toErrorInfo, type ChatErrorCode, type ChatErrorInfo } from '../../shared/errors.js';
import { commandSchemas, type AppNotice, type CommandName, type CommandResults } from '../../shared/ipc/contract.js';
import { fail, ok, type Result } from '../../shared/ipc/result.js';
import { buildGroupView, checkedGroupView, type OsMemberships } from '../../shared/group-view.js';
import { roomIdOf } from '../../shared/room-id.js';
import { passphraseStrength } from '../core/crypto/passphrase-strength.js';
import type { CorePort, KeyPort } from './dispatch-ports.js';
import { checkedWire } from './message-wire.js';
import { createReachProber } from './reach-probe.js';
import type { SavedRoom, Settings, SettingsStore } from './settings-schema.js';
import { applyPreferencesPatch, type Preferences } from '../../shared/preferences.js';

/** Everything the dispatcher works with; only browser-safe modules, as the renderer's fake main process runs it too. */
export interface CommandDeps {
  readonly core: CorePort;
  readonly settings: Pick<SettingsStore, 'get' | 'update'>;
  readonly keys: KeyPort;
  readonly appVersion: string;
  /** The --iface value: every room uses it. */
  readonly pinnedIface: string | null;
  /** shell.openExternal; only ever called with a checked http(s) URL. */
  readonly openExternal: (url: string) => Promise<void>;
  /** A banner for the user (e.g. settings could not be saved). */
  readonly notice: (notice: AppNotice) => void;
  /** The renderer subscribed and wants pushes. */
  readonly onRendererReady: () => void;
  /** Called once when the user chooses a nickname for the first time (first run). */
  readonly onFirstNickname?: () => void;
  /** The memberships the OS holds now (electron/core/os-memberships): read afresh on each call. */
  readonly readMemberships: () => Promise<OsMemberships>;
  /** The page shows this room now (notifications and the unread count follow it). */
  readonly onViewState?: (roomId: string | null) => void;
  /** The preferences changed and were saved: apply them (theme, tray). */
  readonly onPreferences?: (preferences: Preferences) => void;
}

/** Answers one command: parse the payload with its schema, run it, wrap the outcome. Never throws. */
export type DispatchCommand = (name: CommandName, arg: unknown) => Promise<Result<unknown>>;

type CommandInput<K extends CommandName> = z.output<(typeof commandSchemas)[K]>;
type Handlers = { [K in CommandName]: (arg: CommandInput<K>) => Promise<CommandResults[K]> | CommandResults[K] };

const FIELD_ERRORS: Record<string, { code: ChatErrorCode; field: NonNullable<ChatErrorInfo['field']> }> = {
  group: { code: 'INVALID_GROUP', field: 'group' },
  port: { code: 'INVALID_PORT', field: 'port' },
  ttl: { code: 'INVALID_TTL', field: 'ttl' },
  iface: { code: 'INVALID_INTERFACE', field: 'iface' },
  name: { code: 'INVALID_ARGUMENT', field: 'name' },
  ttlMax: { code: 'INVALID_TTL', field: 'ttl' },
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

function upsertRoom(settings: Settings, room: SavedRoom, position?: number): Settings {
  const id = roomIdOf(room.group, room.port);
  const others = settings.rooms.filter((r) => roomIdOf(r.group, r.port) !== id);
  const index = settings.rooms.findIndex((r) => roomIdOf(r.group, r.port) === id);
  const rooms = [...others];
  rooms.splice(Math.min(position ?? (index === -1 ? rooms.length : index), rooms.length), 0, room);
  return { ...settings, rooms };
}

/**
 * The command handlers of the IPC contract against the core and the settings. Transport-free:
 * the Electron IPC bridge and the end-to-end tests' WebSocket bridge both call `dispatch`.
 */
export function createCommandDispatcher(deps: CommandDeps): DispatchCommand {
  const { core, settings, pinnedIface, notice } = deps;
  const probeReach = createReachProber(core);

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
      fingerprint: core.fingerprint,
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

    joinRoom: async ({ passphrase, position, ...config }) => {
      checkPinned(config.iface);
      core.checkRoom(config);
      const key = passphrase === undefined ? undefined : await deps.keys.derive(passphrase, config.group, config.port);
      const room = await core.joinRoom(config, key ? { key } : {});
      // The --iface value belongs to this run, not to the room: it is not saved with it.
      const iface = config.iface !== undefined && config.iface !== pinnedIface ? config.iface : undefined;
      const protectedKey = key ? deps.keys.protect(key) : null;
      const saved: SavedRoom = { ...savedRoomOf(room, iface), ...(key ? { encrypted: true } : {}), ...(protectedKey ? { key: protectedKey } : {}) };
      persist((s) => upsertRoom(s, saved, position));
      if (key && !protectedKey) {
        notice({ level: 'info', message: `This computer has no keychain to keep the key of ${room.name} safely: you will be asked for its passphrase at the next start.` });
      }
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
    getMeter: (roomId) => core.meter(roomId),
    getGroupView: async (roomId) => {
      const room = core.rooms().find((r) => r.roomId === roomId);
      if (!room) throw new ChatError('ROOM_NOT_FOUND', `There is no joined room ${roomId}.`);
      const view = buildGroupView(room, await deps.readMemberships());
      if (!view) throw new ChatError('INVALID_GROUP', `${room.group} is not an IPv4 multicast group.`);
      // What the OS printed crosses into the page: its shape and sizes are checked first.
      return checkedGroupView(view);
    },
    getMessageWire: async ({ roomId, peerId, id }) => checkedWire(await core.wireOf(roomId, `${peerId}/${id}`)),
    probeReach: ({ roomId, ttlMax }) => probeReach(roomId, ttlMax),
    getHistory: ({ roomId, before, limit }) => core.history(roomId, before === undefined ? { limit } : { before, limit }),
    searchHistory: ({ roomId, query, limit }) => core.searchHistory(roomId, query, limit),

    checkRoom: ({ passphrase, ...config }) => {
      checkPinned(config.iface);
      const { warnings } = core.checkRoom(config);
      const strength = passphrase === undefined ? null : passphraseStrength(passphrase);
      return { warnings: strength?.weak ? [...warnings, { code: 'WEAK_PASSPHRASE' as const, message: strength.reason ?? 'This passphrase is easy to guess.' }] : warnings };
    },

    setPeerVerified: ({ peerId, verified }) => {
      core.setPeerVerified(peerId, verified);
      return null;
    },

    openExternal: async (text) => {
      // Reviewed, OPEN_EXTERNAL_JS_CHECK: only checkExternalUrl's result (a parsed http(s) URL) is passed on.
      await deps.openExternal(checkExternalUrl(text)); // eng-disable OPEN_EXTERNAL_JS_CHECK
      return null;
    },

    rendererReady: () => {
      deps.onRendererReady();
      return null;
    },

    setViewState: ({ roomId }) => {
      deps.onViewState?.(roomId);
      return null;
    },

    getPreferences: () => settings.get().preferences,

    setPreferences: async (patch) => {
      const preferences = applyPreferencesPatch(settings.get().preferences, patch);
      // Awaited, unlike other settings: the dialog says "saved" only when it is on disk.
      await settings.update((s) => ({ ...s, preferences }));
      deps.onPreferences?.(preferences);
      return preferences;
    },
  };


  return async (name, arg) => {
    try {
      const parsed = commandSchemas[name].safeParse(arg);
      if (!parsed.success) return fail(payloadError(name, parsed.error));
      const handler = handlers[name] as (input: unknown) => unknown;
      return ok(await handler(parsed.data));
    } catch (error) {
      return fail(toErrorInfo(error));
    }
  };
}
