import type { ChatErrorCode } from '../../shared/errors.js';
import type { CoreEvent, GapReport, PeerInfo, PeerMeter, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import { shortPeerId } from '../lib/format.js';
import { ttlChangedText } from '../../shared/ttl-scopes.js';
import { floodKey, type FloodReport } from './flood-slice.js';
import { nextFloodReport } from './flood-lines.js';
import type { RoomHistoryState } from './history-slice.js';
import { duplicateBursts, duplicatesText } from './duplicate-lines.js';
import { capLog, lineOrder, mergeEntries } from './log-order.js';
import { lossEntry, markerId, markerOrder, MAX_MARKERS_PER_ROOM, removeMarkers, replaceMarkers, type MarkerRef } from './loss-markers.js';
import type { LogEntry, SystemEntry } from './messages-slice.js';
import { MAX_DEPARTED } from './meter-slice.js';
import { MAX_NOTICES, type Notice, type NoticeLevel } from './notices-slice.js';
import type { ChatState } from './store.js';
import { useChatStore } from './store.js';
import { nextTraffic } from './traffic-rates.js';
import type { TrafficHistory } from './traffic-slice.js';
import { floodEndedText, floodSource, gapText, impersonationText, peerJoinedText, peerLeftText, peerRenamedText, reconnectingText, roomJoinedText } from './system-text.js';

let nextSystemId = 1;
let nextNoticeId = 1;
const KEY_CODES: ReadonlySet<ChatErrorCode> = new Set(['WRONG_PASSPHRASE', 'ENCRYPTION_MISMATCH']);

/** A line for the log, keyed to sort just after `newest` (the newest key in the room's log, if any). */
export function systemEntry(text: string, tone: SystemEntry['tone'], newest: string | null, ts = Date.now()): SystemEntry {
  const id = nextSystemId++;
  return { kind: 'system', id: String(id), text, ts, tone, order: lineOrder(newest, ts, id) };
}

export function makeNotice(level: NoticeLevel, message: string, roomId: string | null = null, code?: ChatErrorCode): Notice {
  return { id: nextNoticeId++, level, message, roomId, count: 1, ...(code ? { code } : {}) };
}

/** Adds a notice; the same sentence again counts up and moves to the end instead of stacking up. */
export function withNotice(notices: readonly Notice[], notice: Notice): readonly Notice[] {
  const same = (n: Notice) => n.roomId === notice.roomId && n.level === notice.level && n.message === notice.message;
  const before = notices.find(same);
  const others = notices.filter((n) => !same(n));
  const added = before ? { ...notice, count: before.count + notice.count } : notice;
  // Bounded per place, so one noisy room cannot push another room's notices out.
  const inPlace = others.filter((n) => n.roomId === notice.roomId);
  const dropped = new Set(inPlace.slice(0, Math.max(0, inPlace.length + 1 - MAX_NOTICES)));
  return [...others.filter((n) => !dropped.has(n)), added];
}

/** A copy without `key`; the same object when there is nothing to remove. */
export function omit<T>(record: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  if (!(key in record)) return record;
  const next = { ...record };
  delete next[key];
  return next;
}

/** A copy without the keys `drop` picks; the same object when it picks none. */
function omitWhere<T>(record: Readonly<Record<string, T>>, drop: (key: string, value: T) => boolean): Readonly<Record<string, T>> {
  const keys = Object.keys(record).filter((key) => drop(key, record[key] as T));
  if (keys.length === 0) return record;
  const next = { ...record };
  for (const key of keys) delete next[key];
  return next;
}

const inRoom = (roomId: string) => (key: string) => key.startsWith(`${roomId}\n`);

/**
 * Applies a batch of core events to the state and returns only the changed slices. Every
 * collection is copied at most once per batch, so a frame's worth of events costs one copy of
 * each touched room log, not one per message.
 */
export function applyCoreEvents(state: ChatState, batch: readonly CoreEvent[], now = Date.now()): Partial<ChatState> {
  let rooms = state.rooms;
  let roomOrder = state.roomOrder;
  let selectedRoomId = state.selectedRoomId;
  let unread = state.unread;
  let peers = state.peers;
  let counters = state.counters;
  let notices = state.notices;
  let logs = state.logs;
  let history = state.history;
  let floods = state.floods;
  let markers = state.markers;
  let meters = state.meters;
  let departed = state.departed;
  let traffic = state.traffic;
  let baselines = state.baselines;
  // Loss markers already in a log that a report rewrites, and those bounded out of it.
  const rewritten = new Map<string, SystemEntry[]>();
  const evicted = new Map<string, { order: string; id: string }[]>();
  const added = new Map<string, LogEntry[]>();
  // The newest key each touched room will have, so a line written mid-batch lands after what came before it.
  const newest = new Map<string, string>();
  const copied = new Set<string>();

  // The first write to a record in this batch copies it; later writes reuse that private copy.
  const copyOnce = <T extends object>(name: string, value: T): T => {
    if (copied.has(name)) return value;
    copied.add(name);
    return { ...value };
  };

  const newestIn = (roomId: string): string | null => {
    const log = logs[roomId];
    const inLog = log?.[log.length - 1]?.order ?? null;
    const inBatch = newest.get(roomId) ?? null;
    return inLog === null || (inBatch !== null && inBatch > inLog) ? inBatch : inLog;
  };

  const appendEntry = (roomId: string, entry: LogEntry) => {
    let list = added.get(roomId);
    if (!list) added.set(roomId, (list = []));
    list.push(entry);
    const before = newestIn(roomId);
    if (before === null || entry.order > before) newest.set(roomId, entry.order);
  };

  const writeLine = (roomId: string, text: string, tone: SystemEntry['tone'] = 'info') => appendEntry(roomId, systemEntry(text, tone, newestIn(roomId), now));

  const setRoomPeers = (roomId: string, update: (current: Readonly<Record<string, PeerInfo>>) => Readonly<Record<string, PeerInfo>>) => {
    peers = copyOnce('peers', peers);
    (peers as Record<string, Readonly<Record<string, PeerInfo>>>)[roomId] = update(peers[roomId] ?? {});
  };

  const setFlood = (key: string, report: FloodReport | null) => {
    floods = copyOnce('floods', floods);
    if (report) (floods as Record<string, FloodReport>)[key] = report;
    else delete (floods as Record<string, FloodReport>)[key];
  };

  const removeRoom = (roomId: string) => {
    if (!rooms[roomId]) return;
    const index = roomOrder.indexOf(roomId);
    rooms = omit(rooms, roomId);
    roomOrder = roomOrder.filter((id) => id !== roomId);
    if (selectedRoomId === roomId) selectedRoomId = roomOrder[Math.min(index, roomOrder.length - 1)] ?? null;
    unread = omit(unread, roomId);
    // A left room's notices would have nowhere to show.
    if (notices.some((n) => n.roomId === roomId)) notices = notices.filter((n) => n.roomId !== roomId);
    peers = omit(peers, roomId);
    counters = omit(counters, roomId);
    logs = omit(logs, roomId);
    history = omit(history, roomId);
    floods = omitWhere(floods, inRoom(roomId));
    markers = omit(markers, roomId);
    meters = omit(meters, roomId);
    departed = omit(departed, roomId);
    traffic = omit(traffic, roomId);
    baselines = omit(baselines, roomId);
    rewritten.delete(roomId);
    evicted.delete(roomId);
    added.delete(roomId);
    newest.delete(roomId);
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
    if (room.status === 'joined' && before?.status !== 'joined') writeLine(room.roomId, roomJoinedText(room));
    // Only a room we already had: joining or loading at start sets a TTL, it does not change one.
    // The command's answer and the core's event carry the same TTL, so the second one finds no change.
    if (before && before.ttl !== room.ttl) writeLine(room.roomId, ttlChangedText(room.ttl, room.group));
    if (room.status === 'reconnecting' && before?.status !== 'reconnecting') writeLine(room.roomId, reconnectingText(), 'warning');
    if (room.status === 'error' && room.error && before?.error?.message !== room.error.message) writeLine(room.roomId, room.error.message, 'error');
  };

  // A peer that stops flooding closes its reports with the total, which may include drops the
  // rate-limited lines did not show yet.
  const endFloods = (roomId: string, peer: PeerInfo) => {
    for (const [key, report] of Object.entries(floods)) {
      if (!inRoom(roomId)(key) || report.peerId !== peer.peerId) continue;
      writeLine(roomId, floodEndedText(floodSource(peer.nick, key.slice(roomId.length + 1)), report.total));
      setFlood(key, null);
    }
  };

  const pushTo = <T>(map: Map<string, T[]>, roomId: string, item: T) => {
    const list = map.get(roomId);
    if (list) list.push(item);
    else map.set(roomId, [item]);
  };

  // A new gap goes in just before the message that revealed it (at the end when an announcement
  // did); a gap already shown is rewritten where it is.
  const placeMarker = (roomId: string, gap: GapReport) => {
    const roomMarkers = markers[roomId] ?? {};
    const known = roomMarkers[gap.id];
    if (known) {
      pushTo(rewritten, roomId, lossEntry(gap, known));
      return;
    }
    const ref: MarkerRef = { order: gap.order ? markerOrder(gap.order) : lineOrder(newestIn(roomId), now, nextSystemId++), ts: now, peerId: gap.peerId };
    appendEntry(roomId, lossEntry(gap, ref));
    const next: Record<string, MarkerRef> = { ...roomMarkers, [gap.id]: ref };
    const ids = Object.keys(next);
    for (const old of ids.slice(0, Math.max(0, ids.length - MAX_MARKERS_PER_ROOM))) {
      pushTo(evicted, roomId, { order: (next[old] as MarkerRef).order, id: markerId(old) });
      delete next[old];
    }
    markers = copyOnce('markers', markers);
    (markers as Record<string, Readonly<Record<string, MarkerRef>>>)[roomId] = next;
  };

  const nameOf = (roomId: string) => (peerId: string) => peers[roomId]?.[peerId]?.nick ?? `#${shortPeerId(peerId)}`;

  // The meter outlives a peer that left: its row keeps the name, addresses and app last heard.
  const setDeparted = (roomId: string, peer: PeerInfo, gone: boolean) => {
    const current = departed[roomId] ?? {};
    if (!gone && !(peer.peerId in current)) return;
    const next: Record<string, PeerInfo> = { ...current };
    delete next[peer.peerId];
    if (gone) next[peer.peerId] = peer;
    for (const old of Object.keys(next).slice(0, Math.max(0, Object.keys(next).length - MAX_DEPARTED))) delete next[old];
    departed = copyOnce('departed', departed);
    (departed as Record<string, Readonly<Record<string, PeerInfo>>>)[roomId] = next;
  };

  const updateMeters = (roomId: string, changed: readonly PeerMeter[]) => {
    const before = meters[roomId];
    if (state.showDuplicates) {
      const line = duplicatesText(duplicateBursts(before, changed, nameOf(roomId)));
      if (line) writeLine(roomId, line);
    }
    meters = copyOnce('meters', meters);
    (meters as Record<string, Readonly<Record<string, PeerMeter>>>)[roomId] = { ...before, ...Object.fromEntries(changed.map((m) => [m.peerId, m])) };
  };

  for (const event of batch) {
    switch (event.type) {
      case 'message':
        if (rooms[event.message.roomId]) appendEntry(event.message.roomId, event.message);
        break;
      case 'room':
        upsertRoom(event.room);
        break;
      case 'peer-joined':
      case 'peer-updated': {
        if (!rooms[event.roomId]) break;
        const before = peers[event.roomId]?.[event.peer.peerId];
        setRoomPeers(event.roomId, (current) => ({ ...current, [event.peer.peerId]: event.peer }));
        if (!before) {
          writeLine(event.roomId, peerJoinedText(event.peer));
          setDeparted(event.roomId, event.peer, false);
        }
        else if (before.nick !== event.peer.nick) writeLine(event.roomId, peerRenamedText(before, event.peer));
        if (before?.flooding && !event.peer.flooding) endFloods(event.roomId, event.peer);
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
        if (event.reason !== 'room-left') {
          writeLine(event.roomId, peerLeftText(event.peer, event.reason));
          setDeparted(event.roomId, event.peer, true);
        }
        break;
      }
      case 'counters':
        if (!rooms[event.roomId]) break;
        counters = copyOnce('counters', counters);
        (counters as Record<string, RoomCounters>)[event.roomId] = event.counters;
        traffic = copyOnce('traffic', traffic);
        (traffic as Record<string, TrafficHistory>)[event.roomId] = nextTraffic(traffic[event.roomId], event.counters, now);
        break;
      case 'loss':
        if (rooms[event.roomId]) placeMarker(event.roomId, event.gap);
        break;
      case 'meter':
        if (rooms[event.roomId]) updateMeters(event.roomId, event.peers);
        break;
      case 'impersonation':
        if (!rooms[event.roomId]) break;
        setRoomPeers(event.roomId, (current) => ({ ...current, [event.peer.peerId]: event.peer }));
        writeLine(event.roomId, impersonationText(event.peer), 'error');
        break;
      case 'gap':
        // The core marks every given-up message with a loss marker too: its "lost" says this in place.
        if (rooms[event.roomId] && !Object.values(markers[event.roomId] ?? {}).some((m) => m.peerId === event.peerId)) {
          writeLine(event.roomId, gapText(event.nick, event.count), 'warning');
        }
        break;
      case 'flood': {
        if (!rooms[event.roomId]) break;
        const key = floodKey(event.roomId, event.src);
        const { report, line } = nextFloodReport(floods[key], event, now);
        setFlood(key, report);
        if (line) writeLine(event.roomId, line, 'warning');
        break;
      }
      case 'error': {
        const room = event.roomId ? rooms[event.roomId] : undefined;
        // In its room's view, the room's name goes without saying; traffic the key refuses is a warning, not a failure.
        const level = KEY_CODES.has(event.error.code) ? 'warning' : 'error';
        notices = withNotice(notices, makeNotice(level, event.error.message, room ? room.roomId : null, event.error.code));
        break;
      }
    }
  }

  if (added.size > 0 || rewritten.size > 0 || evicted.size > 0) logs = copyOnce('logs', logs);
  if (added.size > 0) {
    for (const [roomId, entries] of added) {
      const before = logs[roomId] ?? [];
      const merged = mergeEntries(before, entries);
      const log = capLog(merged.log);
      (logs as Record<string, readonly LogEntry[]>)[roomId] = log;
      // The oldest lines were dropped: paging back from the cursor would leave a hole, so stop there.
      if (log.length < merged.log.length && history[roomId]) {
        history = copyOnce('history', history);
        (history as Record<string, RoomHistoryState>)[roomId] = { ...(history[roomId] as RoomHistoryState), before: null };
      }
      // Sent before we joined (history) or by ourselves: not news to the user.
      const fresh = roomId === selectedRoomId ? 0 : merged.inserted.filter((e) => e.kind !== 'system' && !e.own && !e.history).length;
      if (fresh > 0) {
        unread = copyOnce('unread', unread);
        (unread as Record<string, number>)[roomId] = (unread[roomId] ?? 0) + fresh;
      }
    }
  }

  // After the merge, so a marker that went in with this batch is updated or bounded out as well.
  for (const [roomId, entries] of rewritten) {
    const log = logs[roomId];
    if (log) (logs as Record<string, readonly LogEntry[]>)[roomId] = replaceMarkers(log, entries);
  }
  for (const [roomId, gone] of evicted) {
    const log = logs[roomId];
    if (log) (logs as Record<string, readonly LogEntry[]>)[roomId] = removeMarkers(log, gone);
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
  if (history !== state.history) Object.assign(changes, { history });
  if (floods !== state.floods) Object.assign(changes, { floods });
  if (markers !== state.markers) Object.assign(changes, { markers });
  if (meters !== state.meters) Object.assign(changes, { meters });
  if (departed !== state.departed) Object.assign(changes, { departed });
  if (traffic !== state.traffic) Object.assign(changes, { traffic });
  if (baselines !== state.baselines) Object.assign(changes, { baselines });
  return changes;
}

/** The `core` event handler: one batch, one store update, one render. */
export function ingestCoreEvents(batch: readonly CoreEvent[]): void {
  if (batch.length === 0) return;
  useChatStore.setState((state) => applyCoreEvents(state, batch));
}
