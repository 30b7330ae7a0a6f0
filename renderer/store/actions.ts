import type { AppState } from '../../shared/ipc/contract.js';
import type { ChatMessage, PeerInfo, PeerMeter, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import { applyCoreEvents, makeNotice, withNotice } from './ingest.js';
import type { NoticeLevel } from './notices-slice.js';
import { patchRoom } from './room-record.js';
import { useChatStore } from './store.js';

/**
 * Everything that changes the store from outside React: IPC answers and user choices.
 * Components call these; they never call setState themselves.
 */

const { setState, getState } = useChatStore;

/** Fills the store from `getState()`. Rooms the core reported in the meantime are kept. */
export function hydrate(app: AppState): void {
  setState((state) => {
    const changes = applyCoreEvents(state, app.rooms.map((room) => ({ type: 'room' as const, room })));
    return {
      ...changes,
      phase: 'ready',
      fatalError: null,
      appVersion: app.appVersion,
      peerId: app.peerId,
      fingerprint: app.fingerprint,
      nickname: app.nickname,
      firstRun: app.firstRun,
      interfaces: app.interfaces,
      pinnedIface: app.pinnedIface,
    };
  });
}

export function failStartup(message: string): void {
  setState({ phase: 'failed', fatalError: message });
}

/** A room as a command returned it (join, TTL change): same path as the core's own event. */
export function upsertRoom(room: RoomSnapshot): void {
  setState((state) => applyCoreEvents(state, [{ type: 'room', room }]));
}

/** Moves a room to `position` in the list (Undo after leaving puts it back where it was). */
export function placeRoom(roomId: string, position: number): void {
  setState((state) => {
    if (!state.roomOrder.includes(roomId)) return {};
    const others = state.roomOrder.filter((id) => id !== roomId);
    others.splice(Math.min(Math.max(0, position), others.length), 0, roomId);
    return { roomOrder: others };
  });
}

export function removeRoom(roomId: string): void {
  const room = getState().rooms[roomId]?.snapshot;
  if (room) upsertRoom({ ...room, status: 'left' });
}

/** The message `sendMessage` returned; the core's echo of it, before or after, is not shown twice. */
export function appendOwnMessage(message: ChatMessage): void {
  setState((state) => applyCoreEvents(state, [{ type: 'message', message }]));
}

export function setPeers(roomId: string, list: readonly PeerInfo[]): void {
  setState((state) => ({ rooms: patchRoom(state.rooms, roomId, () => ({ peers: Object.fromEntries(list.map((p) => [p.peerId, p])) })) }));
}

export function setCounters(roomId: string, counters: RoomCounters): void {
  setState((state) => ({ rooms: patchRoom(state.rooms, roomId, () => ({ counters })) }));
}

/** The core's meters when the window starts; `meter` events then change them. */
export function setMeters(roomId: string, list: readonly PeerMeter[]): void {
  setState((state) => ({ rooms: patchRoom(state.rooms, roomId, (room) => ({ meters: { ...room.meters, ...Object.fromEntries(list.map((m) => [m.peerId, m])) } })) }));
}

/** The room's counters and meters count from now on in the window (the core keeps its totals). */
export function resetCounters(roomId: string, now = Date.now()): void {
  setState((state) => ({
    rooms: patchRoom(state.rooms, roomId, (room) => (room.counters ? { baseline: { at: now, counters: room.counters, meters: room.meters } } : null)),
  }));
}

/** For a demo: a line in the log for each burst of duplicate datagrams. */
export function setShowDuplicates(show: boolean): void {
  setState({ showDuplicates: show });
}

export function selectRoom(roomId: string): void {
  setState((state) => {
    if (!state.rooms[roomId]) return {};
    return { selectedRoomId: roomId, rooms: patchRoom(state.rooms, roomId, (room) => (room.unread > 0 ? { unread: 0 } : null)) };
  });
}

/** The window gained or lost the focus; back in front, the open room has been seen. */
export function windowFocusChanged(focused: boolean): void {
  setState((state) => {
    const open = state.selectedRoomId;
    if (!focused || !open) return state.windowFocused === focused ? {} : { windowFocused: focused };
    return { windowFocused: true, rooms: patchRoom(state.rooms, open, (room) => (room.unread > 0 ? { unread: 0 } : null)) };
  });
}

/** Alt+Up/Down and the arrow keys in the room list; wraps around. */
export function selectAdjacentRoom(step: 1 | -1): string | null {
  const { roomOrder, selectedRoomId } = getState();
  if (roomOrder.length === 0) return null;
  const index = selectedRoomId ? roomOrder.indexOf(selectedRoomId) : -1;
  const next = roomOrder[(index + step + roomOrder.length) % roomOrder.length] ?? null;
  if (next) selectRoom(next);
  return next;
}

/** Ctrl+1..9: the n-th room in the list, counting from 0. */
export function selectRoomAt(position: number): string | null {
  const id = getState().roomOrder[position] ?? null;
  if (id) selectRoom(id);
  return id;
}

export function setNicknameInStore(nickname: string): void {
  setState({ nickname, firstRun: false });
}

export function addNotice(level: NoticeLevel, message: string): void {
  setState((state) => ({ notices: withNotice(state.notices, makeNotice(level, message)) }));
}

export function dismissNotice(id: number): void {
  dismissNotices([id]);
}

export function dismissNotices(ids: readonly number[]): void {
  setState((state) => ({ notices: state.notices.filter((n) => !ids.includes(n.id)) }));
}
