import type { PeerInfo, PeerMeter, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import type { RoomHistoryState } from './history-slice.js';
import type { LogEntry } from './messages-slice.js';
import type { ChatState } from './store.js';
import { useChatStore } from './store.js';
import type { CountersBaseline, TrafficHistory } from './traffic-slice.js';

/**
 * The components' way into the store. Each hook picks one part of one room's record: a record is
 * replaced whenever anything in its room changes, but its unchanged parts keep their identity, so
 * a component re-renders only for the part it reads.
 */

// Fallbacks must be the same object every time: a fresh [] per call would make zustand v5 re-render forever.
const NO_ENTRIES: readonly LogEntry[] = [];
const NO_PEERS: Readonly<Record<string, PeerInfo>> = {};
const NO_METERS: Readonly<Record<string, PeerMeter>> = {};

export const useSelectedRoomId = (): string | null => useChatStore((s) => s.selectedRoomId);

export const useRoom = (roomId: string | null): RoomSnapshot | undefined =>
  useChatStore((s) => (roomId ? s.rooms[roomId]?.snapshot : undefined));

export const useRoomLog = (roomId: string): readonly LogEntry[] => useChatStore((s) => s.rooms[roomId]?.log ?? NO_ENTRIES);

export const useRoomPeers = (roomId: string): Readonly<Record<string, PeerInfo>> =>
  useChatStore((s) => s.rooms[roomId]?.peers ?? NO_PEERS);

export const useRoomCounters = (roomId: string): RoomCounters | undefined => useChatStore((s) => s.rooms[roomId]?.counters);

export const useUnread = (roomId: string): number => useChatStore((s) => s.rooms[roomId]?.unread ?? 0);

/** Over all rooms: a number, so a message that changes no count re-renders nothing. */
export function totalUnread(state: ChatState): number {
  let total = 0;
  for (const room of Object.values(state.rooms)) total += room.unread;
  return total;
}

export const useTotalUnread = (): number => useChatStore(totalUnread);

export const useRoomHistory = (roomId: string): RoomHistoryState | undefined => useChatStore((s) => s.rooms[roomId]?.history);

export const useRoomMeters = (roomId: string): Readonly<Record<string, PeerMeter>> => useChatStore((s) => s.rooms[roomId]?.meters ?? NO_METERS);

export const useRoomTraffic = (roomId: string): TrafficHistory | undefined => useChatStore((s) => s.rooms[roomId]?.traffic);

export const useRoomBaseline = (roomId: string): CountersBaseline | undefined => useChatStore((s) => s.rooms[roomId]?.baseline);

export const useDepartedPeers = (roomId: string): Readonly<Record<string, PeerInfo>> => useChatStore((s) => s.rooms[roomId]?.departed ?? NO_PEERS);
