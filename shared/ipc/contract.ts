import { z } from 'zod';
import type { ChatWarning } from '../errors.js';
import type { ChatMessage, CoreEvent, HistoryPage, InterfaceInfo, PeerInfo, PeerMeter, ReachResult, RoomCounters, RoomSnapshot } from '../events.js';
import type { GroupView } from '../group-view.js';
import { MAX_TEXT_BYTES } from '../protocol/constants.js';
import { DEFAULT_PROBE_TTL, MAX_PROBE_TTL } from '../reach.js';
import { preferencesPatchSchema, type Preferences } from '../preferences.js';
import { nicknameSchema, passphraseSchema, roomConfigSchema, ttlSchema } from '../room-config.js';
import { COMMAND_NAMES, EVENT_NAMES, commandChannel, eventChannel, type CommandName, type EventName } from './channels.js';
import type { Result } from './result.js';

export { COMMAND_NAMES, EVENT_NAMES, commandChannel, eventChannel, type CommandName, type EventName };

/**
 * The one IPC contract between the renderer and the main process. Every command has an
 * argument schema (main parses it: the renderer is a trust boundary) and a result type;
 * every push event has a payload type.
 */
const roomId = z.string().min(1).max(128);
/** A room to join or check; with a passphrase it is a private (encrypted) room. */
const roomRequest = roomConfigSchema.extend({ passphrase: passphraseSchema.optional() });

export const commandSchemas = {
  getState: z.void(),
  setNickname: nicknameSchema,
  /** `position`: where in the room list it goes (Undo after leaving puts it back); the end by default. */
  joinRoom: roomRequest.extend({ position: z.number().int().min(0).max(64).optional() }),
  leaveRoom: roomId,
  setTtl: z.object({ roomId, ttl: ttlSchema }),
  sendMessage: z.object({
    roomId,
    // Bytes are checked by the core; this bounds the string before any work is done.
    text: z.string().min(1).max(MAX_TEXT_BYTES),
    raw: z.boolean().default(false),
  }),
  getPeers: roomId,
  getCounters: roomId,
  getMeter: roomId,
  getGroupView: roomId,
  /** A chat message by its sender and id, as the core keys it (`peerId/id`). */
  getMessageWire: z.object({ roomId, peerId: z.string().regex(/^[0-9a-f]{16}$/), id: z.string().regex(/^[0-9a-f]{16}$/) }),
  probeReach: z.object({
    roomId,
    ttlMax: z
      .number()
      .int(`The TTL limit must be a whole number from 1 to ${MAX_PROBE_TTL}.`)
      .min(1, `The TTL limit must be from 1 to ${MAX_PROBE_TTL}.`)
      .max(MAX_PROBE_TTL, `The TTL limit must be from 1 to ${MAX_PROBE_TTL}.`)
      .default(DEFAULT_PROBE_TTL),
  }),
  getHistory: z.object({ roomId, before: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(1000).default(200) }),
  searchHistory: z.object({ roomId, query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(500).default(100) }),
  checkRoom: roomRequest,
  setPeerVerified: z.object({ peerId: z.string().regex(/^[0-9a-f]{16}$/), verified: z.boolean() }),
  openExternal: z.string().max(2048),
  rendererReady: z.void(),
  /** The room the page shows (null: none): main notifies and counts unread for the others. */
  setViewState: z.object({ roomId: roomId.nullable() }).strict(),
  getPreferences: z.void(),
  /** Only the fields given change; a room's notification level of null goes back to the default. */
  setPreferences: preferencesPatchSchema,
} as const;

export interface AppState {
  readonly appVersion: string;
  readonly peerId: string;
  /** Our peer id in groups of four: what others compare to verify us. */
  readonly fingerprint: string;
  readonly nickname: string;
  /** True until the user has chosen a nickname once. */
  readonly firstRun: boolean;
  readonly rooms: readonly RoomSnapshot[];
  /** Interfaces the core would join on when none is pinned, for the add-room form. */
  readonly interfaces: readonly InterfaceInfo[];
  /** The interface pinned on the command line (--iface), if any. */
  readonly pinnedIface: string | null;
}

export interface CommandResults {
  getState: AppState;
  setNickname: string;
  joinRoom: RoomSnapshot;
  leaveRoom: null;
  setTtl: RoomSnapshot;
  /** The sent message; the same message also arrives as an own `message` event (match by id). */
  sendMessage: ChatMessage;
  getPeers: readonly PeerInfo[];
  getCounters: RoomCounters;
  /** Per-peer meters of the room, every peer counted so far (also those that left); later changes come as `meter` events. */
  getMeter: readonly PeerMeter[];
  /**
   * The room's group on the wire and in the OS: its Ethernet address, the groups sharing it,
   * link-local or not, and the interfaces the OS holds it on (or why that is not known).
   * Checked against groupViewSchema before it is sent.
   */
  getGroupView: GroupView;
  /**
   * A chat message's datagrams as they were on the wire (sent or received), base64, for the
   * message inspector; null when no longer held (or never: raw datagrams are not kept).
   */
  getMessageWire: readonly string[] | null;
  /**
   * "How far does my TTL reach?": per TTL 1..ttlMax, the peers first reached with it (about
   * 0.2 s per TTL and a second more). One probe per room at a time (else PROBE_RUNNING); the
   * peers are checked before they are sent.
   */
  probeReach: readonly ReachResult[];
  /** Stored messages of a room, newest page first when paging back with `before`. */
  getHistory: HistoryPage;
  /** Stored messages whose text contains the query (case-insensitive), newest first. */
  searchHistory: readonly ChatMessage[];
  checkRoom: { readonly warnings: readonly ChatWarning[] };
  setPeerVerified: null;
  openExternal: null;
  rendererReady: null;
  setViewState: null;
  getPreferences: Preferences;
  /** The preferences as saved. */
  setPreferences: Preferences;
}

// Compile-time check that channels.ts lists exactly the commands that have schemas.
type SameKeys<A, B> = [Exclude<keyof A, B>, Exclude<B, keyof A>] extends [never, never] ? true : never;
const commandListMatchesSchemas: SameKeys<typeof commandSchemas, CommandName> = true;
void commandListMatchesSchemas;

export type CommandArg<K extends CommandName> = z.input<(typeof commandSchemas)[K]>;
export type CommandResult<K extends CommandName> = CommandResults[K];

export interface AppNotice {
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
}

/** Pushes from main. `core` carries a batch: at most about one push per animation frame. */
export interface EventPayloads {
  core: readonly CoreEvent[];
  notice: AppNotice;
  /** A notification or the tray asked for this room: the page selects it. */
  openRoom: string;
}

// Compile-time check that channels.ts lists exactly the events that have payload types.
const eventListMatchesPayloads: SameKeys<EventPayloads, EventName> = true;
void eventListMatchesPayloads;

/** What the preload exposes as `window.mcchat`. */
export type McchatApi = {
  readonly [K in CommandName]: (arg: CommandArg<K>) => Promise<Result<CommandResult<K>>>;
} & {
  readonly on: <E extends EventName>(event: E, callback: (payload: EventPayloads[E]) => void) => () => void;
};
