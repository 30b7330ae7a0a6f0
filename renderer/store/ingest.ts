import type { ChatErrorCode } from '../../shared/errors.js';
import type { CoreEvent, GapReport, PeerInfo, PeerMeter, RoomSnapshot } from '../../shared/events.js';
import { shortPeerId } from '../lib/format.js';
import { ttlChangedText } from '../../shared/ttl-scopes.js';
import type { FloodReport } from './flood-slice.js';
import { nextFloodReport } from './flood-lines.js';
import { duplicateBursts, duplicatesText } from './duplicate-lines.js';
import { capLog, lineOrder, mergeEntries } from './log-order.js';
import { lossEntry, markerId, markerOrder, MAX_MARKERS_PER_ROOM, removeMarkers, replaceMarkers, type MarkerRef } from './loss-markers.js';
import type { LogEntry, SystemEntry } from './messages-slice.js';
import { MAX_DEPARTED } from './meter-slice.js';
import { MAX_NOTICES, NAMED_SOURCES, type Notice, type NoticeLevel } from './notices-slice.js';
import { newRoomRecord, type RoomRecord } from './room-record.js';
import type { ChatState } from './store.js';
import { useChatStore } from './store.js';
import { nextTraffic } from './traffic-rates.js';
import { floodEndedText, floodSource, gapText, impersonationText, peerJoinedText, peerLeftText, peerRenamedText, reconnectingText, roomJoinedText } from './system-text.js';

let nextSystemId = 1;
let nextNoticeId = 1;
const KEY_CODES: ReadonlySet<ChatErrorCode> = new Set(['WRONG_PASSPHRASE', 'ENCRYPTION_MISMATCH']);

/** A line for the log, keyed to sort just after `newest` (the newest key in the room's log, if any). */
export function systemEntry(text: string, tone: SystemEntry['tone'], newest: string | null, ts = Date.now()): SystemEntry {
  const id = nextSystemId++;
  return { kind: 'system', id: String(id), text, ts, tone, order: lineOrder(newest, ts, id) };
}

export function makeNotice(level: NoticeLevel, message: string, roomId: string | null = null, code?: ChatErrorCode, from?: Pick<Notice, 'sources' | 'moreSources'>): Notice {
  return { id: nextNoticeId++, level, message, roomId, count: 1, ...(code ? { code } : {}), ...(from?.sources ? { sources: from.sources, moreSources: from.moreSources ?? 0 } : {}) };
}

/** Adds a notice; the same sentence again counts up and moves to the end instead of stacking up. */
export function withNotice(notices: readonly Notice[], notice: Notice): readonly Notice[] {
  const same = (n: Notice) => n.roomId === notice.roomId && n.level === notice.level && n.message === notice.message;
  const before = notices.find(same);
  const others = notices.filter((n) => !same(n));
  const added = before ? { ...notice, count: before.count + notice.count, ...mergedSources(before, notice) } : notice;
  // Bounded per place, so one noisy room cannot push another room's notices out.
  const inPlace = others.filter((n) => n.roomId === notice.roomId);
  const dropped = new Set(inPlace.slice(0, Math.max(0, inPlace.length + 1 - MAX_NOTICES)));
  return [...others.filter((n) => !dropped.has(n)), added];
}

/** The sources of a repeated notice: counts added per source, the busiest named, the rest summed. */
function mergedSources(before: Notice, notice: Notice): Pick<Notice, 'sources' | 'moreSources'> {
  if (!before.sources && !notice.sources) return {};
  const counts = new Map<string, number>();
  for (const { src, count } of [...(before.sources ?? []), ...(notice.sources ?? [])]) counts.set(src, (counts.get(src) ?? 0) + count);
  const all = [...counts].map(([src, count]) => ({ src, count })).sort((a, b) => b.count - a.count);
  const more = all.slice(NAMED_SOURCES).reduce((sum, s) => sum + s.count, (before.moreSources ?? 0) + (notice.moreSources ?? 0));
  return { sources: all.slice(0, NAMED_SOURCES), moreSources: more };
}

/** A copy without `key`; the same object when there is nothing to remove. */
export function omit<T>(record: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  if (!(key in record)) return record;
  const next = { ...record };
  delete next[key];
  return next;
}

/** A room's record while a batch writes to it: a private copy, frozen into the state when the batch ends. */
type Draft = { -readonly [K in keyof RoomRecord]: RoomRecord[K] };

/**
 * Applies a batch of core events to the state and returns only what changed. A touched room's
 * record is copied once per batch and the others are left as they are, so a frame's worth of
 * events costs one copy of each touched room's log, not one per message nor one per room.
 */
export function applyCoreEvents(state: ChatState, batch: readonly CoreEvent[], now = Date.now()): Partial<ChatState> {
  let rooms = state.rooms;
  let roomOrder = state.roomOrder;
  let selectedRoomId = state.selectedRoomId;
  let notices = state.notices;
  const drafts = new Map<string, Draft>();
  // Loss markers already in a log that a report rewrites, and those bounded out of it.
  const rewritten = new Map<string, SystemEntry[]>();
  const evicted = new Map<string, { order: string; id: string }[]>();
  const added = new Map<string, LogEntry[]>();
  // The newest key each touched room will have, so a line written mid-batch lands after what came before it.
  const newest = new Map<string, string>();

  const recordOf = (roomId: string): RoomRecord | undefined => drafts.get(roomId) ?? rooms[roomId];

  // The first write to a room in this batch copies its record; later writes reuse that copy.
  const edit = (roomId: string): Draft | undefined => {
    let draft = drafts.get(roomId);
    if (draft) return draft;
    const record = rooms[roomId];
    if (!record) return undefined;
    drafts.set(roomId, (draft = { ...record }));
    return draft;
  };

  const newestIn = (roomId: string): string | null => {
    const log = recordOf(roomId)?.log;
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

  const setPeer = (draft: Draft, peer: PeerInfo) => {
    draft.peers = { ...draft.peers, [peer.peerId]: peer };
  };

  const setFlood = (draft: Draft, src: string, report: FloodReport | null) => {
    draft.floods = report ? { ...draft.floods, [src]: report } : omit(draft.floods, src);
  };

  // The record goes, and everything of the room with it.
  const removeRoom = (roomId: string) => {
    if (!recordOf(roomId)) return;
    const index = roomOrder.indexOf(roomId);
    rooms = omit(rooms, roomId);
    drafts.delete(roomId);
    roomOrder = roomOrder.filter((id) => id !== roomId);
    if (selectedRoomId === roomId) selectedRoomId = roomOrder[Math.min(index, roomOrder.length - 1)] ?? null;
    // A left room's notices would have nowhere to show.
    if (notices.some((n) => n.roomId === roomId)) notices = notices.filter((n) => n.roomId !== roomId);
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
    const before = recordOf(room.roomId)?.snapshot;
    const draft = edit(room.roomId);
    if (draft) draft.snapshot = room;
    else {
      drafts.set(room.roomId, { ...newRoomRecord(room) });
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
  const endFloods = (roomId: string, draft: Draft, peer: PeerInfo) => {
    for (const [src, report] of Object.entries(draft.floods)) {
      if (report.peerId !== peer.peerId) continue;
      writeLine(roomId, floodEndedText(floodSource(peer.nick, src), report.total));
      setFlood(draft, src, null);
    }
  };

  const pushTo = <T>(map: Map<string, T[]>, roomId: string, item: T) => {
    const list = map.get(roomId);
    if (list) list.push(item);
    else map.set(roomId, [item]);
  };

  // A new gap goes in just before the message that revealed it (at the end when an announcement
  // did); a gap already shown is rewritten where it is.
  const placeMarker = (roomId: string, draft: Draft, gap: GapReport) => {
    const known = draft.markers[gap.id];
    if (known) {
      pushTo(rewritten, roomId, lossEntry(gap, known));
      return;
    }
    const ref: MarkerRef = { order: gap.order ? markerOrder(gap.order) : lineOrder(newestIn(roomId), now, nextSystemId++), ts: now, peerId: gap.peerId };
    appendEntry(roomId, lossEntry(gap, ref));
    const next: Record<string, MarkerRef> = { ...draft.markers, [gap.id]: ref };
    const ids = Object.keys(next);
    for (const old of ids.slice(0, Math.max(0, ids.length - MAX_MARKERS_PER_ROOM))) {
      pushTo(evicted, roomId, { order: (next[old] as MarkerRef).order, id: markerId(old) });
      delete next[old];
    }
    draft.markers = next;
  };

  // The meter outlives a peer that left: its row keeps the name, addresses and app last heard.
  const setDeparted = (draft: Draft, peer: PeerInfo, gone: boolean) => {
    if (!gone && !(peer.peerId in draft.departed)) return;
    const next: Record<string, PeerInfo> = { ...draft.departed };
    delete next[peer.peerId];
    if (gone) next[peer.peerId] = peer;
    for (const old of Object.keys(next).slice(0, Math.max(0, Object.keys(next).length - MAX_DEPARTED))) delete next[old];
    draft.departed = next;
  };

  const updateMeters = (roomId: string, draft: Draft, changed: readonly PeerMeter[]) => {
    if (state.showDuplicates) {
      const line = duplicatesText(duplicateBursts(draft.meters, changed, (peerId) => draft.peers[peerId]?.nick ?? `#${shortPeerId(peerId)}`));
      if (line) writeLine(roomId, line);
    }
    draft.meters = { ...draft.meters, ...Object.fromEntries(changed.map((m) => [m.peerId, m])) };
  };

  for (const event of batch) {
    if (event.type === 'room') {
      upsertRoom(event.room);
      continue;
    }
    if (event.type === 'error') {
      // In its room's view, the room's name goes without saying; traffic the key refuses is a warning, not a failure.
      const roomId = event.roomId && recordOf(event.roomId) ? event.roomId : null;
      const level = KEY_CODES.has(event.error.code) ? 'warning' : 'error';
      notices = withNotice(notices, makeNotice(level, event.error.message, roomId, event.error.code, { ...(event.sources ? { sources: event.sources } : {}), ...(event.moreSources !== undefined ? { moreSources: event.moreSources } : {}) }));
      continue;
    }
    const roomId = event.type === 'message' ? event.message.roomId : event.roomId;
    // Events of a room the window does not show (left, or not yet known) are dropped.
    if (!recordOf(roomId)) continue;
    if (event.type === 'message') {
      appendEntry(roomId, event.message);
      continue;
    }
    const draft = edit(roomId) as Draft;
    switch (event.type) {
      case 'peer-joined':
      case 'peer-updated': {
        const before = draft.peers[event.peer.peerId];
        setPeer(draft, event.peer);
        if (!before) {
          writeLine(roomId, peerJoinedText(event.peer));
          setDeparted(draft, event.peer, false);
        }
        else if (before.nick !== event.peer.nick) writeLine(roomId, peerRenamedText(before, event.peer));
        if (before?.flooding && !event.peer.flooding) endFloods(roomId, draft, event.peer);
        break;
      }
      case 'peer-left':
        draft.peers = omit(draft.peers, event.peer.peerId);
        writeLine(roomId, peerLeftText(event.peer, event.reason));
        setDeparted(draft, event.peer, true);
        break;
      case 'counters':
        draft.counters = event.counters;
        draft.traffic = nextTraffic(draft.traffic, event.counters, now);
        break;
      case 'loss':
        placeMarker(roomId, draft, event.gap);
        break;
      case 'meter':
        updateMeters(roomId, draft, event.peers);
        break;
      case 'impersonation':
        setPeer(draft, event.peer);
        writeLine(roomId, impersonationText(event.peer), 'error');
        break;
      case 'gap':
        // The core marks every given-up message with a loss marker too: its "lost" says this in place.
        if (!Object.values(draft.markers).some((m) => m.peerId === event.peerId)) writeLine(roomId, gapText(event.nick, event.count), 'warning');
        break;
      case 'flood': {
        const { report, line } = nextFloodReport(draft.floods[event.src], event, now);
        setFlood(draft, event.src, report);
        if (line) writeLine(roomId, line, 'warning');
        break;
      }
    }
  }

  for (const [roomId, entries] of added) {
    const draft = edit(roomId) as Draft;
    const merged = mergeEntries(draft.log, entries);
    draft.log = capLog(merged.log);
    // The oldest lines were dropped: paging back from the cursor would leave a hole, so stop there.
    if (draft.log.length < merged.log.length && draft.history) draft.history = { ...draft.history, before: null };
    // Sent before we joined (history) or by ourselves: not news to the user. The open room of a
    // window in the background is not being read either (main's badge counts it the same way).
    if (roomId !== selectedRoomId || !state.windowFocused) draft.unread += merged.inserted.filter((e) => e.kind !== 'system' && !e.own && !e.history).length;
  }

  // After the merge, so a marker that went in with this batch is updated or bounded out as well.
  for (const [roomId, entries] of rewritten) {
    const draft = edit(roomId) as Draft;
    draft.log = replaceMarkers(draft.log, entries);
  }
  for (const [roomId, gone] of evicted) {
    const draft = edit(roomId) as Draft;
    draft.log = removeMarkers(draft.log, gone);
  }

  // A room that opened by itself (the open one was left, or it is the first) is being read now.
  if (selectedRoomId !== null && selectedRoomId !== state.selectedRoomId && state.windowFocused && recordOf(selectedRoomId)?.unread) {
    (edit(selectedRoomId) as Draft).unread = 0;
  }
  if (drafts.size > 0) rooms = { ...rooms, ...Object.fromEntries(drafts) };

  const changes: Partial<ChatState> = {};
  if (rooms !== state.rooms) Object.assign(changes, { rooms });
  if (roomOrder !== state.roomOrder) Object.assign(changes, { roomOrder });
  if (selectedRoomId !== state.selectedRoomId) Object.assign(changes, { selectedRoomId });
  if (notices !== state.notices) Object.assign(changes, { notices });
  return changes;
}

/** The `core` event handler: one batch, one store update, one render. */
export function ingestCoreEvents(batch: readonly CoreEvent[]): void {
  if (batch.length === 0) return;
  useChatStore.setState((state) => applyCoreEvents(state, batch));
}
