import type { ChatMessage, CoreEvent, PeerInfo, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import { appendCapped, hasOwnMessage, type LogEntry, type SystemEntry } from './messages-slice.js';
import { MAX_NOTICES, type Notice, type NoticeLevel } from './notices-slice.js';
import type { ChatState } from './store.js';
import { useChatStore } from './store.js';
import { peerJoinedText, peerLeftText, peerRenamedText, roomJoinedText } from './system-text.js';

let nextSystemId = 1;
let nextNoticeId = 1;

export function systemEntry(text: string, tone: SystemEntry['tone'] = 'info', ts = Date.now()): SystemEntry {
  return { kind: 'system', id: String(nextSystemId++), text, ts, tone };
}

export function makeNotice(level: NoticeLevel, message: string): Notice {
  return { id: nextNoticeId++, level, message };
}

/** Adds a banner; the same sentence again moves to the end instead of stacking up. */
export function withNotice(notices: readonly Notice[], notice: Notice): readonly Notice[] {
  const others = notices.filter((n) => !(n.level === notice.level && n.message === notice.message));
  return [...others, notice].slice(-MAX_NOTICES);
}

/** A copy without `key`; the same object when there is nothing to remove. */
export function omit<T>(record: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  if (!(key in record)) return record;
  const next = { ...record };
  delete next[key];
  return next;
}

/**
 * Applies a batch of core events to the state and returns only the changed slices. Every
 * collection is copied at most once per batch, so a frame's worth of events costs one copy of
 * each touched room log, not one per message.
 */
export function applyCoreEvents(state: ChatState, batch: readonly CoreEvent[]): Partial<ChatState> {
  let rooms = state.rooms;
  let roomOrder = state.roomOrder;
  let selectedRoomId = state.selectedRoomId;
  let unread = state.unread;
  let peers = state.peers;
  let counters = state.counters;
  let notices = state.notices;
  let logs = state.logs;
  const added = new Map<string, LogEntry[]>();
  const copied = new Set<string>();

  // The first write to a record in this batch copies it; later writes reuse that private copy.
  const copyOnce = <T extends object>(name: string, value: T): T => {
    if (copied.has(name)) return value;
    copied.add(name);
    return { ...value };
  };

  const appendEntry = (roomId: string, entry: LogEntry) => {
    let list = added.get(roomId);
    if (!list) added.set(roomId, (list = []));
    list.push(entry);
  };

  const isDuplicateOwn = (message: ChatMessage): boolean =>
    message.own && ((added.get(message.roomId)?.some((e) => e.kind !== 'system' && e.own && e.id === message.id) ?? false) || hasOwnMessage(logs[message.roomId] ?? [], message));

  const setRoomPeers = (roomId: string, update: (current: Readonly<Record<string, PeerInfo>>) => Readonly<Record<string, PeerInfo>>) => {
    peers = copyOnce('peers', peers);
    (peers as Record<string, Readonly<Record<string, PeerInfo>>>)[roomId] = update(peers[roomId] ?? {});
  };

  const removeRoom = (roomId: string) => {
    if (!rooms[roomId]) return;
    const index = roomOrder.indexOf(roomId);
    rooms = omit(rooms, roomId);
    roomOrder = roomOrder.filter((id) => id !== roomId);
    if (selectedRoomId === roomId) selectedRoomId = roomOrder[Math.min(index, roomOrder.length - 1)] ?? null;
    unread = omit(unread, roomId);
    peers = omit(peers, roomId);
    counters = omit(counters, roomId);
    logs = omit(logs, roomId);
    added.delete(roomId);
  };

  const upsertRoom = (room: RoomSnapshot) => {
    if (room.status === 'left') {
      removeRoom(room.roomId);
      return;
    }
    const before = rooms[room.roomId];
    rooms = copyOnce('rooms', rooms);
    (rooms as Record<string, RoomSnapshot>)[room.roomId] = room;
    if (!before) {
      roomOrder = [...roomOrder, room.roomId];
      selectedRoomId ??= room.roomId;
    }
    if (room.status === 'joined' && before?.status !== 'joined') appendEntry(room.roomId, systemEntry(roomJoinedText(room)));
    if (room.status === 'error' && room.error && before?.error?.message !== room.error.message) {
      appendEntry(room.roomId, systemEntry(room.error.message, 'error'));
    }
  };

  for (const event of batch) {
    switch (event.type) {
      case 'message': {
        const { message } = event;
        if (!rooms[message.roomId] || isDuplicateOwn(message)) break;
        appendEntry(message.roomId, message);
        if (!message.own && message.roomId !== selectedRoomId) {
          unread = copyOnce('unread', unread);
          (unread as Record<string, number>)[message.roomId] = (unread[message.roomId] ?? 0) + 1;
        }
        break;
      }
      case 'room':
        upsertRoom(event.room);
        break;
      case 'peer-joined':
      case 'peer-updated': {
        if (!rooms[event.roomId]) break;
        const before = peers[event.roomId]?.[event.peer.peerId];
        setRoomPeers(event.roomId, (current) => ({ ...current, [event.peer.peerId]: event.peer }));
        if (!before) appendEntry(event.roomId, systemEntry(peerJoinedText(event.peer)));
        else if (before.nick !== event.peer.nick) appendEntry(event.roomId, systemEntry(peerRenamedText(before, event.peer)));
        break;
      }
      case 'peer-left': {
        if (!rooms[event.roomId]) break;
        setRoomPeers(event.roomId, (current) => {
          const next = { ...current };
          delete next[event.peer.peerId];
          return next;
        });
        // Leaving the room ourselves removes everyone at once: one line per peer would be noise.
        if (event.reason !== 'room-left') appendEntry(event.roomId, systemEntry(peerLeftText(event.peer, event.reason)));
        break;
      }
      case 'counters':
        if (!rooms[event.roomId]) break;
        counters = copyOnce('counters', counters);
        (counters as Record<string, RoomCounters>)[event.roomId] = event.counters;
        break;
      case 'error': {
        const room = event.roomId ? rooms[event.roomId] : undefined;
        notices = withNotice(notices, makeNotice('error', room ? `${room.name}: ${event.error.message}` : event.error.message));
        break;
      }
    }
  }

  if (added.size > 0) {
    logs = copyOnce('logs', logs);
    for (const [roomId, entries] of added) {
      (logs as Record<string, readonly LogEntry[]>)[roomId] = appendCapped(logs[roomId] ?? [], entries);
    }
  }

  const changes: Partial<ChatState> = {};
  if (rooms !== state.rooms) Object.assign(changes, { rooms });
  if (roomOrder !== state.roomOrder) Object.assign(changes, { roomOrder });
  if (selectedRoomId !== state.selectedRoomId) Object.assign(changes, { selectedRoomId });
  if (unread !== state.unread) Object.assign(changes, { unread });
  if (peers !== state.peers) Object.assign(changes, { peers });
  if (counters !== state.counters) Object.assign(changes, { counters });
  if (notices !== state.notices) Object.assign(changes, { notices });
  if (logs !== state.logs) Object.assign(changes, { logs });
  return changes;
}

/** The `core` event handler: one batch, one store update, one render. */
export function ingestCoreEvents(batch: readonly CoreEvent[]): void {
  if (batch.length === 0) return;
  useChatStore.setState((state) => applyCoreEvents(state, batch));
}
