import type { ChatWarning } from '../../shared/errors.js';
import type { ChatMessage, CoreEvent, HistoryPage, InterfaceInfo, PeerInfo, PeerMeter, ReachResult, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import type { RoomConfigInput } from '../../shared/room-config.js';

/**
 * What the command dispatcher and the IPC bridge need of the core and the key vault, in
 * browser-safe types. ChatCore (electron/core/types.ts) and RoomKey live next to their options and
 * implementations (sockets, files, node:crypto), and the dispatcher also runs in the renderer's
 * fake main process, in a browser. assemble.ts hands the real ChatCore and vault over to these,
 * so the compiler keeps them in step with the originals.
 */

/** A passphrase room's key as the shell passes it along: made by the vault, given to the core. */
export interface RoomKeyHandle {
  readonly id: string;
}

/** The methods of ChatCore the shell calls (the same signatures; see electron/core/types.ts for what each does). */
export interface CorePort {
  readonly peerId: string;
  readonly fingerprint: string;
  readonly nickname: string;
  subscribe(listener: (event: CoreEvent) => void): () => void;
  joinRoom(config: RoomConfigInput, options?: { readonly key?: RoomKeyHandle }): Promise<RoomSnapshot>;
  leaveRoom(roomId: string): Promise<void>;
  send(roomId: string, text: string, options?: { readonly raw?: boolean }): Promise<ChatMessage>;
  setTtl(roomId: string, ttl: number): RoomSnapshot;
  setNickname(nickname: string): string;
  setPeerVerified(peerId: string, verified: boolean): void;
  rooms(): RoomSnapshot[];
  peers(roomId: string): PeerInfo[];
  counters(roomId: string): RoomCounters;
  probeReach(roomId: string, ttlMax?: number): Promise<ReachResult[]>;
  meter(roomId: string): PeerMeter[];
  wireOf(roomId: string, key: string): Promise<readonly string[] | null>;
  history(roomId: string, page: { before?: number; limit: number }): Promise<HistoryPage>;
  searchHistory(roomId: string, query: string, limit: number): Promise<ChatMessage[]>;
  checkRoom(config: RoomConfigInput): { warnings: ChatWarning[] };
  availableInterfaces(): InterfaceInfo[];
}

/** The part of the RoomKeyVault (room-keys.ts) the dispatcher uses when joining a passphrase room. */
export interface KeyPort {
  derive(passphrase: string, group: string, port: number): Promise<RoomKeyHandle>;
  /** The key sealed by the OS keychain, to save with the room; null without a keychain. */
  protect(key: RoomKeyHandle): string | null;
}
