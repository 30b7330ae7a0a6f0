import type { PeerInfo, PeerMeter, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import type { FloodReport } from './flood-slice.js';
import type { RoomHistoryState } from './history-slice.js';
import type { MarkerRef } from './loss-markers.js';
import type { LogEntry } from './messages-slice.js';
import type { CountersBaseline, TrafficHistory } from './traffic-slice.js';

/**
 * Everything the window keeps about one room, in one record: leaving drops the record and with it
 * all of the room (parallel per-room maps each had to be cleaned, and a forgotten one leaked).
 * Records and everything in them are replaced, never mutated, so a selector on one room's log
 * re-renders neither for another room nor for the same room's counters.
 *
 * The draft is not here: it outlives the record (it is back after a restart before the room is
 * joined again, and after Leave then Undo) and is saved to localStorage; see drafts.ts.
 */
export interface RoomRecord {
  readonly snapshot: RoomSnapshot;
  /** Sorted by `order`, oldest first. */
  readonly log: readonly LogEntry[];
  /** Messages from others that arrived while the room was not selected. */
  readonly unread: number;
  /** By peer id. */
  readonly peers: Readonly<Record<string, PeerInfo>>;
  /** Peers that left or timed out, as last heard, by peer id: the meter still names them. At most MAX_DEPARTED. */
  readonly departed: Readonly<Record<string, PeerInfo>>;
  /** The core's meters by peer id: what arrived from each peer and what repair did. */
  readonly meters: Readonly<Record<string, PeerMeter>>;
  readonly counters: RoomCounters | undefined;
  /** Rates over the last minute, from the counters. */
  readonly traffic: TrafficHistory | undefined;
  /** What the user's Reset saw. */
  readonly baseline: CountersBaseline | undefined;
  /** Paging back through stored history; undefined until the first page is asked for. */
  readonly history: RoomHistoryState | undefined;
  /** What the log has said about each flooding source, by source address. */
  readonly floods: Readonly<Record<string, FloodReport>>;
  /**
   * Loss markers by the core's gap id, oldest first: where each one is in the log, so a report for
   * the same gap updates it in place. At most MAX_MARKERS_PER_ROOM.
   */
  readonly markers: Readonly<Record<string, MarkerRef>>;
}

export type RoomRecords = Readonly<Record<string, RoomRecord>>;

export function newRoomRecord(snapshot: RoomSnapshot): RoomRecord {
  return {
    snapshot,
    log: [],
    unread: 0,
    peers: {},
    departed: {},
    meters: {},
    counters: undefined,
    traffic: undefined,
    baseline: undefined,
    history: undefined,
    floods: {},
    markers: {},
  };
}

/**
 * `rooms` with one record replaced by `change` applied to it. The same object when the room is
 * unknown or `change` answers null, so an action on a room just left changes nothing.
 */
export function patchRoom(rooms: RoomRecords, roomId: string, change: (record: RoomRecord) => Partial<RoomRecord> | null): RoomRecords {
  const record = rooms[roomId];
  const patch = record ? change(record) : null;
  if (!record || !patch) return rooms;
  return { ...rooms, [roomId]: { ...record, ...patch } };
}
