import type { ChatWarning } from '../../shared/errors.js';
import type { ChatMessage, CoreEvent, InterfaceInfo, PeerInfo, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import type { RoomConfigInput } from '../../shared/room-config.js';
import type { Clock } from './clock.js';
import type { InterfaceSource } from './interfaces.js';
import type { SocketFactory } from './udp-socket.js';

/** Everything the core needs from the outside world, injected so tests and the CLI can swap it. */
export interface ChatCoreOptions {
  readonly nickname: string;
  /** A stable id for this installation; a random one is made when absent. */
  readonly peerId?: string;
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
}

export interface JoinOptions {
  /** Only send: no receive socket, no presence (the `mcchat send` command). */
  readonly sendOnly?: boolean;
}

export interface SendOptions {
  /** Send the bare UTF-8 text, no frame: what the lecture's Python receiver prints as is. */
  readonly raw?: boolean;
}

/** The network core's API. All methods that can fail throw ChatError with a readable message. */
export interface ChatCore {
  readonly peerId: string;
  readonly nickname: string;
  subscribe(listener: (event: CoreEvent) => void): () => void;
  joinRoom(config: RoomConfigInput, options?: JoinOptions): Promise<RoomSnapshot>;
  leaveRoom(roomId: string): Promise<void>;
  send(roomId: string, text: string, options?: SendOptions): Promise<ChatMessage>;
  setTtl(roomId: string, ttl: number): RoomSnapshot;
  setNickname(nickname: string): string;
  rooms(): RoomSnapshot[];
  peers(roomId: string): PeerInfo[];
  counters(roomId: string): RoomCounters;
  /** Validates settings without joining: the add-room form's inline check. */
  checkRoom(config: RoomConfigInput): { warnings: ChatWarning[] };
  /** Interfaces a room without a pinned interface joins on. */
  availableInterfaces(): InterfaceInfo[];
  /** Leaves every room (saying goodbye) and closes every socket. */
  close(): Promise<void>;
}
