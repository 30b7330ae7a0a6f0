import { ChatError, toErrorInfo, type ChatWarning } from '../shared/errors.js';
import { emptyCounters, type ChatMessage, type CoreEvent, type InterfaceInfo, type PeerInfo, type PeerMeter, type ReachResult, type RoomCounters, type RoomSnapshot } from '../shared/events.js';
import { buildGroupView, type OsMemberships } from '../shared/group-view.js';
import type { AppNotice, EventName, EventPayloads, McchatApi } from '../shared/ipc/contract.js';
import { fail, ok, type Result } from '../shared/ipc/result.js';
import { fakeWire } from './fake-wire.js';
import { utf8Length } from '../shared/protocol/codec.js';
import { MAX_DATAGRAM_BYTES, MAX_TEXT_BYTES } from '../shared/protocol/constants.js';
import { applyPreferencesPatch, DEFAULT_PREFERENCES, preferencesPatchSchema, type Preferences } from '../shared/preferences.js';
import { DEFAULT_PROBE_TTL, probeDurationMs } from '../shared/reach.js';
import { groupWarnings, parseNickname, parseRoomConfig, type RoomConfig } from '../shared/room-config.js';

/**
 * An in-memory stand-in for the main process, for tests and the browser demo: rooms join at
 * once, own messages echo back as core events (as the real core does), and `receive` scripts
 * messages from other people. No sockets.
 */
export interface FakeOptions {
  readonly nickname?: string;
  readonly firstRun?: boolean;
  readonly peerId?: string;
  readonly interfaces?: readonly InterfaceInfo[];
  /** As if started with --iface: every room joins there, and the form says so. */
  readonly pinnedIface?: string;
  /** What the OS would say it joined; by default every joined room's group on its interfaces. */
  readonly memberships?: OsMemberships;
  /** How long a reach probe takes; by default as long as the core's would. */
  readonly probeMs?: number;
}

export interface Incoming {
  readonly nick?: string;
  readonly text: string;
  readonly raw?: boolean;
  readonly src?: string;
  readonly ttl?: number;
  readonly ts?: number;
  /** How it came (live, repaired, late, history) and the interface it arrived on, as the core says. */
  readonly via?: ChatMessage['via'];
  readonly iface?: string;
  readonly fragments?: number;
}

export interface FloodReportInput {
  /** A peer's nickname; without it the source is a raw sender. */
  readonly nick?: string;
  readonly src?: string;
  readonly dropped: number;
}

export type FakeMcchat = McchatApi & {
  /** Push core events as main would (held back until rendererReady, like main). */
  emit(events: readonly CoreEvent[]): void;
  notice(notice: AppNotice): void;
  /** A message from someone else; a new nick also announces a peer. */
  receive(roomId: string, incoming: Incoming): ChatMessage;
  /** Change a room as the core might (status, error) and push it. */
  updateRoom(roomId: string, patch: Partial<RoomSnapshot>): void;
  /** Messages stored before this session (as on disk): only getHistory and searchHistory see them. */
  remember(roomId: string, incoming: readonly Incoming[]): ChatMessage[];
  /** The core gave up repairing `count` messages of `nick`. */
  reportGap(roomId: string, nick: string, count: number): void;
  /** Per-peer meters changed (kept for getMeter), pushed as the core's once-a-second `meter` event. */
  reportMeter(roomId: string, meters: readonly PeerMeter[]): void;
  /** A source over the rate limit, as the core reports it (at most once a second); a peer is flagged flooding. */
  reportFlood(roomId: string, flood: FloodReportInput): void;
  /** The peer calmed down: its flag goes away. */
  endFlood(roomId: string, nick: string): void;
  /** URLs the page asked to open in the browser. */
  readonly opened: readonly string[];
  /** The rooms the page reported in view (setViewState), in order. */
  readonly views: readonly (string | null)[];
  /** As a notification click does: main asks the page to open the room. */
  requestOpenRoom(roomId: string): void;
};

const DEFAULT_INTERFACES: readonly InterfaceInfo[] = [
  { name: 'eth0', address: '192.168.1.10' },
  { name: 'lo', address: '127.0.0.1' },
];

export function createFakeApi(options: FakeOptions = {}): FakeMcchat {
  const interfaces = options.interfaces ?? DEFAULT_INTERFACES;
  const peerId = options.peerId ?? 'f00dfacecafe0001';
  let nickname = options.nickname ?? 'me';
  let firstRun = options.firstRun ?? false;
  let ready = false;
  let seq = 0;
  const held: CoreEvent[] = [];
  const opened: string[] = [];
  const rooms = new Map<string, RoomSnapshot>();
  const peers = new Map<string, Map<string, PeerInfo>>();
  const counters = new Map<string, RoomCounters>();
  const meters = new Map<string, Map<string, PeerMeter>>();
  // Every room's stored messages, sorted by order, like the core's history on disk.
  const stored = new Map<string, ChatMessage[]>();
  // Rooms with a reach probe under way: one at a time, as main allows.
  const probing = new Set<string>();
  const listeners: { [E in EventName]: Set<(payload: EventPayloads[E]) => void> } = { core: new Set(), notice: new Set(), openRoom: new Set() };
  const views: (string | null)[] = [];
  let preferences: Preferences = DEFAULT_PREFERENCES;

  const emit = (events: readonly CoreEvent[]) => {
    held.push(...events);
    if (!ready || held.length === 0) return;
    const batch = held.splice(0);
    listeners.core.forEach((cb) => cb(batch));
  };

  // Commands answer asynchronously and never throw, like ipcRenderer.invoke with a Result.
  const answer = <T>(run: () => T): Promise<Result<T>> => {
    try {
      return Promise.resolve(ok(run()));
    } catch (error) {
      return Promise.resolve(fail(toErrorInfo(error)));
    }
  };

  const room = (roomId: string): RoomSnapshot => {
    const found = rooms.get(roomId);
    if (!found) throw new ChatError('ROOM_NOT_FOUND', 'That room is not open any more. Pick another room or add it again.');
    return found;
  };

  const validate = (input: unknown): { config: RoomConfig; joinedOn: readonly InterfaceInfo[] } => {
    const config = parseRoomConfig(input);
    if (options.pinnedIface && config.iface && config.iface !== options.pinnedIface) {
      throw new ChatError('INVALID_INTERFACE', `This window was started with --iface ${options.pinnedIface}: every room uses that interface.`, 'iface');
    }
    const iface = config.iface ?? options.pinnedIface;
    const joinedOn = iface ? interfaces.filter((i) => i.address === iface) : interfaces;
    if (joinedOn.length === 0) {
      throw new ChatError('INTERFACE_NOT_FOUND', `No network interface on this machine has the address ${config.iface}. Pick one from the list.`, 'iface');
    }
    return { config, joinedOn };
  };

  const store = (message: ChatMessage) => {
    const list = stored.get(message.roomId) ?? [];
    stored.set(message.roomId, list);
    let at = list.length;
    while (at > 0 && (list[at - 1] as ChatMessage).order > message.order) at--;
    list.splice(at, 0, message);
  };

  const orderOf = (ts: number, n: number, peer: string): string => `${String(ts).padStart(15, '0')}.${String(n).padStart(6, '0')}.${peer}`;

  const peerFor = (roomId: string, nick: string, src: string, now: number, events: CoreEvent[]): PeerInfo => {
    const roomPeers = peers.get(roomId) ?? new Map<string, PeerInfo>();
    peers.set(roomId, roomPeers);
    const id = fakePeerId(nick);
    const known = roomPeers.get(id);
    if (known) return known;
    const peer: PeerInfo = { peerId: id, nick, app: 'Multicast Chat 0.1.0', addresses: [src], firstSeen: now, lastSeen: now, flooding: false, fingerprint: fingerprintOf(id), verified: false, impersonates: null };
    roomPeers.set(id, peer);
    events.push({ type: 'peer-joined', roomId, peer });
    return peer;
  };

  const setFlooding = (roomId: string, peer: PeerInfo, flooding: boolean): CoreEvent[] => {
    if (peer.flooding === flooding) return [];
    const next = { ...peer, flooding };
    peers.get(roomId)?.set(peer.peerId, next);
    return [{ type: 'peer-updated', roomId, peer: next }];
  };

  // The same refusals as main and the core.
  const probeAllowed = (target: RoomSnapshot): null => {
    if (probing.has(target.roomId)) throw new ChatError('PROBE_RUNNING', `A probe of ${target.name} is already running: wait for its answer.`);
    if (target.mode === 'passive') throw new ChatError('NOT_JOINED', `Room ${target.name} cannot probe: it is joined passively and sends nothing.`);
    if (target.status !== 'joined') throw new ChatError('NOT_JOINED', `Room ${target.name} cannot probe: it is not joined.`);
    return null;
  };

  const srcFor = (nick: string, port: number): string => `192.168.1.${20 + (parseInt(fakePeerId(nick).slice(0, 4), 16) % 200)}:${port}`;

  // As a real OS would: all-hosts everywhere, and each joined room's group on its interfaces.
  const membershipsOfRooms = (): OsMemberships => {
    const byName = new Map<string, string[]>(interfaces.map((i) => [i.name, ['224.0.0.1']]));
    for (const r of rooms.values()) {
      if (r.status !== 'joined') continue;
      for (const i of r.interfaces) {
        const groups = byName.get(i.name) ?? [];
        if (!groups.includes(r.group)) groups.push(r.group);
        byName.set(i.name, groups);
      }
    }
    return { available: true, source: 'the demo (no operating system asked)', interfaces: [...byName].map(([name, groups]) => ({ name, groups })) };
  };

  const bump = (roomId: string, change: Partial<RoomCounters>) => {
    const next = { ...(counters.get(roomId) ?? emptyCounters()) };
    for (const [key, value] of Object.entries(change) as [keyof RoomCounters, number][]) next[key] += value;
    counters.set(roomId, next);
    return { type: 'counters', roomId, counters: next } as const;
  };

  const api: FakeMcchat = {
    opened,
    getState: () =>
      answer(() => ({ appVersion: '0.0.0-fake', peerId, fingerprint: fingerprintOf(peerId), nickname, firstRun, rooms: [...rooms.values()], interfaces, pinnedIface: options.pinnedIface ?? null })),
    setNickname: (arg) =>
      answer(() => {
        nickname = parseNickname(arg);
        firstRun = false;
        return nickname;
      }),
    checkRoom: (arg) =>
      answer(() => {
        const { config } = validate(arg);
        const warnings: ChatWarning[] = groupWarnings(config.group, config.ttl);
        // A stand-in for main's strength check: short passphrases are weak here.
        if (arg.passphrase !== undefined && arg.passphrase.length < 12) warnings.push({ code: 'WEAK_PASSPHRASE', message: 'This passphrase is short: someone who records the room can guess it. Use four or more random words.' });
        return { warnings };
      }),
    joinRoom: (arg) =>
      answer(() => {
        const { config, joinedOn } = validate(arg);
        if ([...rooms.values()].some((r) => r.group === config.group && r.port === config.port)) {
          throw new ChatError('ROOM_EXISTS', `You are already in ${config.group}:${config.port}.`, 'group');
        }
        const snapshot: RoomSnapshot = {
          roomId: `room-${++seq}`,
          name: config.name,
          group: config.group,
          port: config.port,
          ttl: config.ttl,
          loopback: config.loopback,
          iface: config.iface ?? null,
          status: 'joined',
          interfaces: joinedOn,
          warnings: groupWarnings(config.group, config.ttl),
          error: null,
          groupFiltered: true,
          // A passphrase makes a private room; the key id only names the key (here: made up).
          encrypted: arg.passphrase !== undefined,
          keyId: arg.passphrase !== undefined ? fakePeerId(arg.passphrase).slice(0, 8) : null,
        };
        rooms.set(snapshot.roomId, snapshot);
        peers.set(snapshot.roomId, new Map());
        counters.set(snapshot.roomId, emptyCounters());
        emit([{ type: 'room', room: snapshot }]);
        return snapshot;
      }),
    leaveRoom: (roomId) =>
      answer(() => {
        const left = room(roomId);
        rooms.delete(roomId);
        const gone = [...(peers.get(roomId)?.values() ?? [])].map((peer) => ({ type: 'peer-left', roomId, peer, reason: 'room-left' }) as const);
        peers.delete(roomId);
        emit([...gone, { type: 'room', room: { ...left, status: 'left' } }]);
        return null;
      }),
    setTtl: ({ roomId, ttl }) =>
      answer(() => {
        const next = { ...room(roomId), ttl, warnings: groupWarnings(room(roomId).group, ttl) };
        rooms.set(roomId, next);
        emit([{ type: 'room', room: next }]);
        return next;
      }),
    sendMessage: ({ roomId, text, raw = false }) =>
      answer(() => {
        const target = room(roomId);
        if (target.status !== 'joined') throw new ChatError('NOT_JOINED', `${target.name} is not joined, so nothing can be sent.`, 'text');
        if (text.trim() === '') throw new ChatError('EMPTY_TEXT', 'Write something first.', 'text');
        const bytes = utf8Length(text);
        const limit = raw ? MAX_DATAGRAM_BYTES : MAX_TEXT_BYTES;
        if (bytes > limit) throw new ChatError('TEXT_TOO_LONG', `The message is ${bytes} bytes; the limit is ${limit}. Shorten it.`, 'text');
        const now = Date.now();
        const message: ChatMessage = {
          kind: raw ? 'raw' : 'chat',
          roomId,
          id: `own-${++seq}`,
          text,
          nick: raw ? null : nickname,
          peerId: raw ? null : peerId,
          src: `${target.interfaces[0]?.address ?? '0.0.0.0'}:${target.port}`,
          ttl: target.ttl,
          seq: raw ? null : seq,
          ts: now,
          receivedAt: now,
          own: true,
          fragments: 1,
          bytes,
          order: orderOf(now, seq, peerId),
          ...(target.interfaces[0] ? { iface: target.interfaces[0].name } : {}),
        };
        store(message);
        emit([{ type: 'message', message }, bump(roomId, { datagramsOut: 1, bytesOut: bytes, ownEchoes: 1 })]);
        return message;
      }),
    getGroupView: (roomId) =>
      answer(() => {
        const target = room(roomId);
        const view = buildGroupView(target, options.memberships ?? membershipsOfRooms());
        if (!view) throw new ChatError('INVALID_GROUP', `${target.group} is not an IPv4 multicast group.`);
        return view;
      }),
    // As the core keeps them: every chat message it stored, from our own and from others.
    getMessageWire: ({ roomId, peerId: sender, id }) =>
      answer(() => {
        const target = room(roomId);
        const found = (stored.get(roomId) ?? []).find((m) => m.kind === 'chat' && m.peerId === sender && m.id === id);
        return found ? fakeWire(found, target) : null;
      }),
    // Every announced peer answers at TTL 1: the demo's peers share the subnet.
    probeReach: async ({ roomId, ttlMax = DEFAULT_PROBE_TTL }) => {
      const allowed = await answer(() => probeAllowed(room(roomId)));
      if (!allowed.ok) return fail(allowed.error);
      probing.add(roomId);
      await new Promise((resolve) => setTimeout(resolve, options.probeMs ?? probeDurationMs(ttlMax)));
      probing.delete(roomId);
      return answer(() => {
        const rows: ReachResult[] = Array.from({ length: ttlMax }, (_, i) => ({ ttl: i + 1, peers: [] }));
        const reached = [...(peers.get(roomId)?.values() ?? [])].map((p) => ({ peerId: p.peerId, nick: p.nick, src: p.addresses[0] ?? '' }));
        return rows.map((row) => (row.ttl === 1 ? { ...row, peers: reached } : row));
      });
    },
    getPeers: (roomId) => answer(() => (room(roomId), [...(peers.get(roomId)?.values() ?? [])])),
    getCounters: (roomId) => answer(() => (room(roomId), counters.get(roomId) ?? emptyCounters())),
    getMeter: (roomId) => answer(() => (room(roomId), [...(meters.get(roomId)?.values() ?? [])])),
    // The cursor is an index into the stored list: older messages never move, newer ones are appended.
    getHistory: ({ roomId, before, limit = 200 }) =>
      answer(() => {
        room(roomId);
        const list = stored.get(roomId) ?? [];
        const end = Math.min(before ?? list.length, list.length);
        const start = Math.max(0, end - limit);
        return { messages: list.slice(start, end).map((m) => ({ ...m, history: true as const })), before: start > 0 ? start : null };
      }),
    searchHistory: ({ roomId, query, limit = 100 }) =>
      answer(() => {
        room(roomId);
        const needle = query.trim().toLowerCase();
        const found = (stored.get(roomId) ?? []).filter((m) => m.text.toLowerCase().includes(needle));
        return found.reverse().slice(0, limit).map((m) => ({ ...m, history: true as const }));
      }),
    setPeerVerified: ({ peerId: target, verified }) =>
      answer(() => {
        const events: CoreEvent[] = [];
        for (const [roomId, roomPeers] of peers) {
          const found = roomPeers.get(target);
          if (!found) continue;
          const next = { ...found, verified };
          roomPeers.set(target, next);
          events.push({ type: 'peer-updated', roomId, peer: next });
        }
        emit(events);
        return null;
      }),
    openExternal: (url) =>
      answer(() => {
        opened.push(url);
        return null;
      }),
    rendererReady: () =>
      answer(() => {
        ready = true;
        emit([]);
        return null;
      }),
    setViewState: ({ roomId }) =>
      answer(() => {
        views.push(roomId);
        return null;
      }),
    getPreferences: () => answer(() => preferences),
    setPreferences: (patch) =>
      answer(() => {
        preferences = applyPreferencesPatch(preferences, preferencesPatchSchema.parse(patch));
        return preferences;
      }),
    views,
    requestOpenRoom: (roomId) => listeners.openRoom.forEach((cb) => cb(roomId)),
    on: (event, callback) => {
      const set = listeners[event] as Set<typeof callback>;
      set.add(callback);
      return () => void set.delete(callback);
    },
    emit,
    notice: (notice) => listeners.notice.forEach((cb) => cb(notice)),
    receive: (roomId, incoming) => {
      const target = room(roomId);
      const now = incoming.ts ?? Date.now();
      const nick = incoming.nick ?? 'someone';
      const raw = incoming.raw ?? false;
      const src = incoming.src ?? srcFor(nick, target.port);
      const events: CoreEvent[] = [];
      const peer = raw ? null : peerFor(roomId, nick, src, now, events);
      const message = makeMessage(roomId, incoming, now, src, peer);
      store(message);
      events.push({ type: 'message', message }, bump(roomId, raw ? { datagramsIn: 1, bytesIn: message.bytes, rawDatagrams: 1 } : { datagramsIn: 1, bytesIn: message.bytes, chatMessagesIn: 1 }));
      emit(events);
      return message;
    },
    remember: (roomId, incoming) => {
      const target = room(roomId);
      return incoming.map((item) => {
        const now = item.ts ?? Date.now();
        const nick = item.nick ?? 'someone';
        const src = item.src ?? srcFor(nick, target.port);
        const message = makeMessage(roomId, item, now, src, item.raw ? null : { peerId: fakePeerId(nick), nick });
        store(message);
        return message;
      });
    },
    reportGap: (roomId, nick, count) => {
      room(roomId);
      emit([{ type: 'gap', roomId, peerId: fakePeerId(nick), nick, count }, bump(roomId, { lossDetected: count, lossGivenUp: count })]);
    },
    reportMeter: (roomId, changed) => {
      room(roomId);
      const roomMeters = meters.get(roomId) ?? new Map<string, PeerMeter>();
      meters.set(roomId, roomMeters);
      for (const meter of changed) roomMeters.set(meter.peerId, meter);
      emit([{ type: 'meter', roomId, peers: changed }]);
    },
    reportFlood: (roomId, flood) => {
      const target = room(roomId);
      const events: CoreEvent[] = [];
      const src = flood.src ?? srcFor(flood.nick ?? 'raw', target.port);
      const peer = flood.nick ? peerFor(roomId, flood.nick, src, Date.now(), events) : null;
      if (peer) events.push(...setFlooding(roomId, peer, true));
      events.push(
        { type: 'flood', roomId, src, peerId: peer?.peerId ?? null, nick: peer?.nick ?? null, dropped: flood.dropped },
        bump(roomId, { datagramsIn: flood.dropped, floodDropped: flood.dropped }),
      );
      emit(events);
    },
    endFlood: (roomId, nick) => {
      room(roomId);
      const peer = peers.get(roomId)?.get(fakePeerId(nick));
      if (peer) emit(setFlooding(roomId, peer, false));
    },
    updateRoom: (roomId, patch) => {
      const next = { ...room(roomId), ...patch, roomId };
      rooms.set(roomId, next);
      emit([{ type: 'room', room: next }]);
    },
  };

  function makeMessage(roomId: string, incoming: Incoming, now: number, src: string, peer: Pick<PeerInfo, 'peerId' | 'nick'> | null): ChatMessage {
    const raw = incoming.raw ?? false;
    const bytes = utf8Length(incoming.text);
    const n = ++seq;
    return {
      kind: raw ? 'raw' : 'chat',
      roomId,
      id: `in-${n}`,
      text: incoming.text,
      nick: peer?.nick ?? null,
      peerId: peer?.peerId ?? null,
      src,
      ttl: raw ? null : (incoming.ttl ?? 1),
      seq: raw ? null : n,
      ts: now,
      receivedAt: now,
      own: false,
      fragments: incoming.fragments ?? Math.max(1, Math.ceil(bytes / 1100)),
      bytes,
      order: orderOf(now, n, peer?.peerId ?? `raw:${src}`),
      ...(incoming.via !== undefined && !raw ? { via: incoming.via } : {}),
      ...(incoming.iface !== undefined ? { iface: incoming.iface } : {}),
    };
  }
  return api;
}

/** The peer id in groups of four, as the core shows a fingerprint. */
function fingerprintOf(id: string): string {
  return id.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A stable 16-hex-digit id per nickname, so the same fake person is the same peer everywhere. */
function fakePeerId(nick: string): string {
  let hash = 0x811c9dc5;
  for (const ch of nick) hash = Math.imul(hash ^ (ch.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return (hash.toString(16).padStart(8, '0') + (~hash >>> 0).toString(16).padStart(8, '0')).slice(0, 16);
}
