import type { PeerInfo, PeerMeter, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import type { RoomHistoryState } from './history-slice.js';
import type { LogEntry } from './messages-slice.js';
import { useChatStore } from './store.js';
import type { CountersBaseline, TrafficHistory } from './traffic-slice.js';

// Fallbacks must be the same object every time: a fresh [] per call would make zustand v5 re-render forever.
const NO_ENTRIES: readonly LogEntry[] = [];
const NO_PEERS: Readonly<Record<string, PeerInfo>> = {};
const NO_METERS: Readonly<Record<string, PeerMeter>> = {};

export const useSelectedRoomId = (): string | null => useChatStore((s) => s.selectedRoomId);

export const useRoom = (roomId: string | null): RoomSnapshot | undefined =>
  useChatStore((s) => (roomId ? s.rooms[roomId] : undefined));

export const useRoomLog = (roomId: string): readonly LogEntry[] => useChatStore((s) => s.logs[roomId] ?? NO_ENTRIES);

export const useRoomPeers = (roomId: string): Readonly<Record<string, PeerInfo>> =>
  useChatStore((s) => s.peers[roomId] ?? NO_PEERS);

export const useRoomCounters = (roomId: string): RoomCounters | undefined => useChatStore((s) => s.counters[roomId]);

export const useUnread = (roomId: string): number => useChatStore((s) => s.unread[roomId] ?? 0);

export const useRoomHistory = (roomId: string): RoomHistoryState | undefined => useChatStore((s) => s.history[roomId]);

export const useRoomMeters = (roomId: string): Readonly<Record<string, PeerMeter>> => useChatStore((s) => s.meters[roomId] ?? NO_METERS);

export const useRoomTraffic = (roomId: string): TrafficHistory | undefined => useChatStore((s) => s.traffic[roomId]);

export const useRoomBaseline = (roomId: string): CountersBaseline | undefined => useChatStore((s) => s.baselines[roomId]);

export const useDepartedPeers = (roomId: string): Readonly<Record<string, PeerInfo>> => useChatStore((s) => s.departed[roomId] ?? NO_PEERS);
