import { invoke } from '../api.js';
import { HISTORY_PAGE, type RoomHistoryState } from './history-slice.js';
import { mergeEntries } from './log-order.js';
import { patchRoom } from './room-record.js';
import { useChatStore } from './store.js';

/** Paging through a room's stored history: the first page when the room joins, older ones on demand. */

const { getState, setState } = useChatStore;

// The newest page asked for per room: an answer to an older request (the room was left and joined
// again meanwhile) is dropped rather than merged with a cursor that no longer fits.
let lastRequest = 0;
const requests = new Map<string, number>();

/**
 * Asks for the room's next page back in time (the newest page first), unless one is on its way
 * or the start was reached. The page is merged into the log by order: it may overlap messages
 * that also arrived live, and those are not shown twice. Stored messages never count as unread.
 */
export async function loadOlderHistory(roomId: string): Promise<void> {
  const record = getState().rooms[roomId];
  const current = record?.history;
  if (!record || current?.status === 'loading' || current?.before === null) return;
  const before = current?.before;
  const request = ++lastRequest;
  requests.set(roomId, request);
  setState((s) => ({ rooms: patchRoom(s.rooms, roomId, () => ({ history: { status: 'loading', before, error: null } })) }));

  const result = await invoke((api) => api.getHistory(before === undefined ? { roomId, limit: HISTORY_PAGE } : { roomId, before, limit: HISTORY_PAGE }));

  if (requests.get(roomId) !== request) return;
  requests.delete(roomId);
  setState((s) => ({
    rooms: patchRoom(s.rooms, roomId, (room) => {
      const at = room.history;
      // Left while the page was on its way: nothing to merge into.
      if (at?.status !== 'loading') return null;
      if (!result.ok) return { history: { ...at, status: 'failed', error: result.error.message } };
      // Not capped: pages the user scrolled back for stay; live traffic trims them later (ingest.ts).
      const merged = mergeEntries(room.log, result.value.messages);
      // A null cursor set meanwhile (the log dropped its oldest lines) stays null.
      const history: RoomHistoryState = { status: 'idle', before: at.before === null ? null : result.value.before, error: null };
      return merged.inserted.length > 0 ? { history, log: merged.log } : { history };
    }),
  }));
}

/** The first page of every joined room that has not asked for one yet. */
export function loadFirstPages(): void {
  const { roomOrder, rooms } = getState();
  for (const roomId of roomOrder) {
    const room = rooms[roomId];
    if (room?.snapshot.status === 'joined' && !room.history) void loadOlderHistory(roomId);
  }
}

let stopWatching: (() => void) | null = null;

/**
 * Loads a room's first page once it is joined: the rooms read at start, rooms the user adds and
 * rooms main joins by itself. One watcher per window; starting it again replaces the last one.
 */
export function watchRoomsForHistory(): () => void {
  stopWatching?.();
  // Any change to a room (a message too) replaces its record; looking through the few rooms is cheap.
  const unsubscribe = useChatStore.subscribe((state, previous) => {
    if (state.rooms !== previous.rooms) loadFirstPages();
  });
  loadFirstPages();
  const stop = () => {
    unsubscribe();
    if (stopWatching === stop) stopWatching = null;
  };
  stopWatching = stop;
  return stop;
}
