import type { ChatWarning } from '../../shared/errors.js';
import type { ChatMessage, CoreEvent, HistoryPage, InterfaceInfo, PeerInfo, PeerMeter, ReachResult, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import type { RoomConfigInput } from '../../shared/room-config.js';
import type { Clock } from './clock.js';
import type { Identity } from './crypto/identity.js';
import type { RoomKey } from './crypto/room-key.js';
import type { TrustStore } from './crypto/trust-store.js';
import type { RoomHistory, RoomHistoryOptions } from './history/index.js';
import type { FloodLimit } from './reliability/flood-guard.js';
import type { LossTiming } from './reliability/loss-detector.js';
import type { InterfaceSource } from './interfaces.js';
import type { LingerPolicy } from './linger.js';
import type { SocketFactory } from './udp-socket.js';

/** Everything the core needs from the outside world, injected so tests and the CLI can swap it. */
export interface ChatCoreOptions {
  readonly nickname: string;
  /** This installation's signing identity (its key makes the peer id); a fresh one when absent. */
  readonly identity?: Identity;
  /** Trust on first use across runs; without it, nicknames and verifications are not remembered. */
  readonly trust?: TrustStore;
  /** Announced in presence, e.g. "multicast-chat/0.1.0". */
  readonly appVersion: string;
  /** Interface (IPv4 address) used by rooms that do not pin one: the --iface flag. */
  readonly defaultIface?: string;
  readonly socketFactory?: SocketFactory;
  readonly clock?: Clock;
  readonly interfaces?: InterfaceSource;
  readonly presenceIntervalMs?: number;
  readonly presenceTimeoutMs?: number;
  readonly platform?: NodeJS.Platform;
  /** Per-source rate limit on received datagrams (flood control). */
  readonly floodLimit?: FloodLimit;
  readonly lossTiming?: LossTiming;
  /** How often to look for network changes, in ms; 0 turns the watcher off. Default 2,000. */
  readonly networkPollMs?: number;
  /** How many recent messages to ask for when joining. Default 200. */
  readonly historyRequest?: number;
  /**
   * Leaving a room that sent messages lately: stay to answer repairs until the room is quiet
   * (linger.ts). None by default (tests, tools); the app and mcchat use DEFAULT_LINGER.
   */
  readonly linger?: LingerPolicy;
  /** Opens a room's history on disk; without it nothing is stored (the CLI unless --history). */
  readonly openHistory?: (roomId: string, options: RoomHistoryOptions) => Promise<RoomHistory>;
}

/**
 * How a room takes part:
 * - 'member' (default): presence, history requests and answers, loss repair both ways.
 * - 'passive': only listens; sends nothing at all (no hello, no sync, no NACK), for demos next to
 *   other programs. Loss is still counted.
 * - 'sender': `mcchat send`: no presence or history request when joining, but it hears NACKs and
 *   answers them, and before leaving announces where its sequence stands and stays for repairs.
 *   Where the port cannot be shared (a program bound it without SO_REUSEADDR) it sends without
 *   a receive socket and says so.
 */
export type RoomMode = 'member' | 'passive' | 'sender';

export interface JoinOptions {
  readonly mode?: RoomMode;
  /** A passphrase room's key (derive it with deriveRoomKey): every datagram is encrypted. */
  readonly key?: RoomKey;
}

export interface SendOptions {
  /** Send the bare UTF-8 text, no frame: what the lecture's Python receiver prints as is. */
  readonly raw?: boolean;
}

/** The network core's API. All methods that can fail throw ChatError with a readable message. */
export interface ChatCore {
  readonly peerId: string;
  /** Our peer id in groups of four, to read out to someone who verifies us. */
  readonly fingerprint: string;
  readonly nickname: string;
  subscribe(listener: (event: CoreEvent) => void): () => void;
  joinRoom(config: RoomConfigInput, options?: JoinOptions): Promise<RoomSnapshot>;
  leaveRoom(roomId: string): Promise<void>;
  send(roomId: string, text: string, options?: SendOptions): Promise<ChatMessage>;
  setTtl(roomId: string, ttl: number): RoomSnapshot;
  setNickname(nickname: string): string;
  /** The user compared a peer's fingerprint (or takes it back): remembered in the trust store. */
  setPeerVerified(peerId: string, verified: boolean): void;
  rooms(): RoomSnapshot[];
  peers(roomId: string): PeerInfo[];
  counters(roomId: string): RoomCounters;
  /** Probes how far the room's TTLs reach: per TTL 1..ttlMax, the peers first reached with it. */
  probeReach(roomId: string, ttlMax?: number): Promise<ReachResult[]>;
  /** Per-peer meters of a room (received, gaps, repaired, lost, duplicates, reordered, late). */
  meter(roomId: string): PeerMeter[];
  /**
   * A message's datagrams as they were on the wire, base64 (a chat message by `peerId/id`):
   * for the inspector. Null when no longer held.
   */
  wireOf(roomId: string, key: string): Promise<readonly string[] | null>;
  /** A page of the room's stored history (empty without a history store). */
  history(roomId: string, page: { before?: number; limit: number }): Promise<HistoryPage>;
  /** Stored messages whose text contains `query`, newest first. */
  searchHistory(roomId: string, query: string, limit: number): Promise<ChatMessage[]>;
  /** Validates settings without joining: the add-room form's inline check. */
  checkRoom(config: RoomConfigInput): { warnings: ChatWarning[] };
  /** Re-checks the network now (e.g. after resume from sleep): rejoins where it changed, re-announces elsewhere. */
  refresh(): Promise<void>;
  /** Interfaces a room without a pinned interface joins on. */
  availableInterfaces(): InterfaceInfo[];
  /** Leaves every room (saying goodbye) and closes every socket. */
  /**
   * Leaves every room (goodbyes; with a linger policy, after staying for repairs) and flushes
   * the trust store. `cutShort` settling ends any lingering at once (a second Ctrl+C).
   */
  close(options?: { readonly cutShort?: Promise<unknown> }): Promise<void>;
}
