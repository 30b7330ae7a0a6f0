import { ChatError, type ChatWarning } from '../shared/errors.js';
import { outgoingTextProblem } from '../shared/outgoing-text.js';
import { emptyCounters, type ChatMessage, type CoreEvent, type HistoryPage, type InterfaceInfo, type PeerInfo, type PeerMeter, type ReachResult, type RoomCounters, type RoomSnapshot } from '../shared/events.js';
import { utf8Length } from '../shared/protocol/codec.js';
import { probeDurationMs } from '../shared/reach.js';
import { groupWarnings, parseNickname, parseRoomConfig, type RoomConfig, type RoomConfigInput } from '../shared/room-config.js';
import { roomIdOf } from '../shared/room-id.js';
import type { CorePort, RoomKeyHandle } from '../electron/shell/dispatch-ports.js';
import { fakeWire } from './fake-wire.js';

/**
 * A network-free core for the renderer's fake main process (fake-api.ts): the ChatCore methods the
 * dispatcher calls, answering and emitting as electron/core/chat-core.ts and room.ts do where the
 * page can see it (room ids, one `room` event on join and on leave and none of peers leaving, own
 * messages echoed as `message` events, the same refusals), plus a script for what the network
 * would bring: messages from others, loss, meters and floods.
 */

export interface FakeCoreOptions {
  readonly nickname: string;
  readonly peerId: string;
  /**
   * The interfaces the core lists and joins when a room pins none. Unlike the real core, which
   * never lists loopback beside a LAN interface, the script's list is taken as it is.
   */
  readonly interfaces: readonly InterfaceInfo[];
  /** --iface: rooms that pin none join there. */
  readonly defaultIface: string | null;
  /** How long a reach probe takes; by default as long as the core's. */
  readonly probeMs?: number;
}

/** A message from someone else, as the script describes it. */
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

interface FakeRoom {
  snapshot: RoomSnapshot;
  readonly interfaceWarnings: readonly ChatWarning[];
  readonly peers: Map<string, PeerInfo>;
  counters: RoomCounters;
  readonly meters: Map<string, PeerMeter>;
  /** Every message delivered or remembered, sorted by order: the room's history on disk. */
  readonly stored: ChatMessage[];
}

/** Bytes a signed chat frame adds to its text (header, envelope, signature): about what the core sends (v2: "hello" takes 195). */
const FRAME_OVERHEAD = 190;
/** Text per datagram of a long message, roughly as the codec splits it (v2: about 1,000 bytes). */
const FRAGMENT_TEXT = 1000;

export class ScriptedCore implements CorePort {
  readonly peerId: string;
  readonly fingerprint: string;
  private currentNickname: string;
  private readonly listeners = new Set<(event: CoreEvent) => void>();
  private readonly joined = new Map<string, FakeRoom>();
  /** Verifications, kept across rooms as the trust store keeps them. */
  private readonly verified = new Map<string, boolean>();
  private readonly seqs = new Map<string, number>();
  private serial = 0;

  constructor(private readonly options: FakeCoreOptions) {
    this.peerId = options.peerId;
    this.fingerprint = fingerprintOf(options.peerId);
    this.currentNickname = parseNickname(options.nickname);
  }

  get nickname(): string {
    return this.currentNickname;
  }

  subscribe(listener: (event: CoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Any event, as if the core had emitted it. */
  emit(event: CoreEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async joinRoom(input: RoomConfigInput, options: { readonly key?: RoomKeyHandle } = {}): Promise<RoomSnapshot> {
    const config = parseRoomConfig(input);
    const roomId = roomIdOf(config.group, config.port);
    if (this.joined.has(roomId)) throw new ChatError('ROOM_EXISTS', `You are already in the room on ${roomId}.`, 'group');
    const choice = this.chooseInterfaces(config);
    const snapshot: RoomSnapshot = {
      roomId,
      name: config.name,
      group: config.group,
      port: config.port,
      ttl: config.ttl,
      loopback: config.loopback,
      iface: config.iface ?? null,
      status: 'joined',
      interfaces: choice.interfaces,
      warnings: [...groupWarnings(config.group, config.ttl), ...choice.warnings],
      error: null,
      groupFiltered: true,
      encrypted: options.key !== undefined,
      keyId: options.key?.id ?? null,
    };
    this.joined.set(roomId, { snapshot, interfaceWarnings: choice.warnings, peers: new Map(), counters: emptyCounters(), meters: new Map(), stored: [] });
    // The core says so once the sockets are open: one `room` event, already joined.
    this.emit({ type: 'room', room: snapshot });
    return snapshot;
  }

  /** Like the core: the room is gone at once and says 'left'; its peers go with it, without peer-left events. */
  async leaveRoom(roomId: string): Promise<void> {
    const room = this.room(roomId);
    this.joined.delete(roomId);
    this.emit({ type: 'room', room: { ...room.snapshot, status: 'left' } });
  }

  async send(roomId: string, text: string, options: { readonly raw?: boolean } = {}): Promise<ChatMessage> {
    const room = this.room(roomId);
    const { snapshot } = room;
    const raw = options.raw ?? false;
    if (snapshot.status !== 'joined') {
      throw new ChatError('NOT_JOINED', `Room ${snapshot.name} is not joined${snapshot.error ? `: ${snapshot.error.message}` : ''}.`);
    }
    if (raw && snapshot.encrypted) {
      throw new ChatError('INVALID_ARGUMENT', 'A passphrase room sends only encrypted messages: raw text would be readable by anyone on the network.', 'text');
    }
    const problem = outgoingTextProblem(text, raw);
    if (problem) throw problem;
    const bytes = utf8Length(text);
    const now = Date.now();
    const first = snapshot.interfaces[0];
    const fragments = raw ? 1 : Math.max(1, Math.ceil(bytes / FRAGMENT_TEXT));
    const onWire = raw ? bytes : bytes + fragments * FRAME_OVERHEAD;
    const n = ++this.serial;
    const message: ChatMessage = {
      kind: raw ? 'raw' : 'chat',
      roomId,
      id: raw ? `own-raw-${n}` : hexId(n),
      text,
      nick: this.currentNickname,
      peerId: this.peerId,
      // The core's sender has an ephemeral port; the script uses the room's, a number as good as any.
      src: first ? `${first.address}:${snapshot.port}` : '',
      ...(first ? { iface: first.name } : {}),
      ttl: snapshot.ttl,
      seq: raw ? null : this.nextSeq(this.peerId),
      ts: now,
      receivedAt: now,
      own: true,
      fragments,
      bytes: onWire,
      order: orderOf(now, n, this.peerId),
    };
    this.store(room, message);
    this.emit({ type: 'message', message });
    // Out on the wire, and back through loopback, where the core counts it as our own echo.
    this.count(room, { datagramsOut: fragments, bytesOut: onWire, ...(snapshot.loopback ? { datagramsIn: fragments, bytesIn: onWire, ownEchoes: fragments } : {}) });
    return message;
  }

  setTtl(roomId: string, ttl: number): RoomSnapshot {
    const room = this.room(roomId);
    const config = parseRoomConfig({ ...configOf(room.snapshot), ttl });
    this.update(room, { ttl: config.ttl, warnings: [...groupWarnings(config.group, config.ttl), ...room.interfaceWarnings] });
    return room.snapshot;
  }

  /** The core re-announces in every room; nothing the page sees. */
  setNickname(nickname: string): string {
    this.currentNickname = parseNickname(nickname);
    return this.currentNickname;
  }

  setPeerVerified(peerId: string, verified: boolean): void {
    this.verified.set(peerId, verified);
    for (const [roomId, room] of this.joined) {
      const peer = room.peers.get(peerId);
      if (peer && peer.verified !== verified) this.changePeer(roomId, room, { ...peer, verified });
    }
  }

  rooms(): RoomSnapshot[] {
    return [...this.joined.values()].map((r) => r.snapshot);
  }

  peers(roomId: string): PeerInfo[] {
    return [...this.room(roomId).peers.values()];
  }

  counters(roomId: string): RoomCounters {
    return this.room(roomId).counters;
  }

  meter(roomId: string): PeerMeter[] {
    return [...this.room(roomId).meters.values()];
  }

  /** Every peer in the room answers at TTL 1: the script's people share our subnet. */
  async probeReach(roomId: string, ttlMax = 8): Promise<ReachResult[]> {
    const { snapshot } = this.room(roomId);
    if (snapshot.status !== 'joined' || snapshot.mode === 'passive') {
      throw new ChatError('NOT_JOINED', `Room ${snapshot.name} cannot probe: it is ${snapshot.mode === 'passive' ? 'joined passively and sends nothing' : 'not joined'}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, this.options.probeMs ?? probeDurationMs(ttlMax)));
    const reached = [...(this.joined.get(roomId)?.peers.values() ?? [])].map((p) => ({ peerId: p.peerId, nick: p.nick, src: p.addresses[0] ?? '' }));
    return Array.from({ length: ttlMax }, (_, i) => ({ ttl: i + 1, peers: i === 0 ? reached : [] }));
  }

  /** Made-up datagrams in the real layout (fake-wire.ts) for a stored chat message. */
  async wireOf(roomId: string, key: string): Promise<readonly string[] | null> {
    const room = this.room(roomId);
    const found = room.stored.find((m) => m.kind === 'chat' && `${m.peerId}/${m.id}` === key);
    return found ? fakeWire(found, room.snapshot) : null;
  }

  /** The cursor is an index into the stored list: older messages never move, newer ones are appended. */
  async history(roomId: string, page: { before?: number; limit: number }): Promise<HistoryPage> {
    const list = this.room(roomId).stored;
    const end = Math.min(page.before ?? list.length, list.length);
    const start = Math.max(0, end - page.limit);
    return { messages: list.slice(start, end).map(asHistory), before: start > 0 ? start : null };
  }

  async searchHistory(roomId: string, query: string, limit: number): Promise<ChatMessage[]> {
    const needle = query.toLowerCase();
    const found = this.room(roomId).stored.filter((m) => m.text.toLowerCase().includes(needle));
    return found.reverse().slice(0, limit).map(asHistory);
  }

  checkRoom(input: RoomConfigInput): { warnings: ChatWarning[] } {
    const config = parseRoomConfig(input);
    return { warnings: [...groupWarnings(config.group, config.ttl), ...this.chooseInterfaces(config).warnings] };
  }

  /** Where a room joins when it pins no interface. */
  availableInterfaces(): InterfaceInfo[] {
    return [...this.options.interfaces];
  }

  // The script: what the network would bring.

  /** A message from someone else; a new nickname is a new peer, announced first (as the core hears a chat's sender). */
  receive(roomId: string, incoming: Incoming): ChatMessage {
    const room = this.room(roomId);
    const now = incoming.ts ?? Date.now();
    const nick = incoming.nick ?? 'someone';
    const src = incoming.src ?? srcFor(nick, room.snapshot.port);
    const peer = incoming.raw ? null : this.peerFor(roomId, room, nick, src, now);
    const message = this.messageFrom(roomId, incoming, now, src, peer);
    this.store(room, message);
    this.emit({ type: 'message', message });
    this.count(room, incoming.raw ? { datagramsIn: 1, bytesIn: message.bytes, rawDatagrams: 1 } : { datagramsIn: message.fragments, bytesIn: message.bytes, chatMessagesIn: 1 });
    return message;
  }

  /** Messages stored before this session: only history and search see them. */
  remember(roomId: string, incoming: readonly Incoming[]): ChatMessage[] {
    const room = this.room(roomId);
    return incoming.map((item) => {
      const now = item.ts ?? Date.now();
      const nick = item.nick ?? 'someone';
      const message = this.messageFrom(roomId, item, now, item.src ?? srcFor(nick, room.snapshot.port), item.raw ? null : { peerId: fakePeerId(nick), nick });
      this.store(room, message);
      return message;
    });
  }

  /** The core gave up repairing `count` messages of `nick`. */
  reportGap(roomId: string, nick: string, count: number): void {
    const room = this.room(roomId);
    this.emit({ type: 'gap', roomId, peerId: fakePeerId(nick), nick, count });
    this.count(room, { lossDetected: count, lossGivenUp: count });
  }

  /** Per-peer meters changed: kept for meter(), pushed as the core's once-a-second `meter` event. */
  reportMeter(roomId: string, changed: readonly PeerMeter[]): void {
    const room = this.room(roomId);
    for (const meter of changed) room.meters.set(meter.peerId, meter);
    this.emit({ type: 'meter', roomId, peers: [...changed] });
  }

  /** A source over its rate limit, as the core's sweep reports it: the flood, then the peer flagged. */
  reportFlood(roomId: string, flood: FloodReportInput): void {
    const room = this.room(roomId);
    const src = flood.src ?? srcFor(flood.nick ?? 'raw', room.snapshot.port);
    // A signed flooder said hello before: it is a peer of the room.
    const peer = flood.nick ? this.peerFor(roomId, room, flood.nick, src, Date.now()) : null;
    this.emit({ type: 'flood', roomId, src, peerId: peer?.peerId ?? null, nick: peer?.nick ?? null, dropped: flood.dropped });
    if (peer && !peer.flooding) this.changePeer(roomId, room, { ...peer, flooding: true });
    this.count(room, { datagramsIn: flood.dropped, floodDropped: flood.dropped });
  }

  /** The peer calmed down: the next sweep takes its flag away. */
  endFlood(roomId: string, nick: string): void {
    const room = this.room(roomId);
    const peer = room.peers.get(fakePeerId(nick));
    if (peer?.flooding) this.changePeer(roomId, room, { ...peer, flooding: false });
  }

  /** The room changes as the core might change it (status, error, interfaces), and says so. */
  updateRoom(roomId: string, patch: Partial<RoomSnapshot>): void {
    this.update(this.room(roomId), { ...patch, roomId });
  }

  private room(roomId: string): FakeRoom {
    const room = this.joined.get(roomId);
    if (!room) throw new ChatError('ROOM_NOT_FOUND', `There is no joined room ${roomId}.`);
    return room;
  }

  private update(room: FakeRoom, patch: Partial<RoomSnapshot>): void {
    room.snapshot = { ...room.snapshot, ...patch };
    this.emit({ type: 'room', room: room.snapshot });
  }

  /** As chat-core.ts chooses: the pinned (or --iface) address, else every interface of the script. */
  private chooseInterfaces(config: RoomConfig): { interfaces: InterfaceInfo[]; warnings: ChatWarning[] } {
    const all = this.options.interfaces;
    const pinned = config.iface ?? this.options.defaultIface ?? undefined;
    if (pinned) {
      const found = all.find((i) => i.address === pinned);
      if (!found) {
        const known = all.map((i) => `${i.address} (${i.name})`).join(', ');
        throw new ChatError('INTERFACE_NOT_FOUND', `No interface of this machine has the address ${pinned}. Known addresses: ${known || 'none'}.`, 'iface');
      }
      return { interfaces: [found], warnings: [] };
    }
    if (all.length === 0) throw new ChatError('NO_INTERFACE', 'This machine has no network interface that can carry multicast. Connect to a network and try again.', 'iface');
    return { interfaces: [...all], warnings: [] };
  }

  private peerFor(roomId: string, room: FakeRoom, nick: string, src: string, now: number): PeerInfo {
    const peerId = fakePeerId(nick);
    const known = room.peers.get(peerId);
    if (known) return known;
    const peer: PeerInfo = {
      peerId,
      nick,
      app: 'Multicast Chat 0.1.0',
      addresses: [src],
      firstSeen: now,
      lastSeen: now,
      flooding: false,
      fingerprint: fingerprintOf(peerId),
      verified: this.verified.get(peerId) ?? false,
      impersonates: null,
    };
    room.peers.set(peerId, peer);
    this.emit({ type: 'peer-joined', roomId, peer });
    return peer;
  }

  private changePeer(roomId: string, room: FakeRoom, peer: PeerInfo): void {
    room.peers.set(peer.peerId, peer);
    this.emit({ type: 'peer-updated', roomId, peer });
  }

  /** Counters change with traffic; the core pushes the room's whole set (once a second; here at once). */
  private count(room: FakeRoom, change: Partial<RoomCounters>): void {
    const next = { ...room.counters };
    for (const [key, value] of Object.entries(change) as [keyof RoomCounters, number][]) next[key] += value;
    room.counters = next;
    this.emit({ type: 'counters', roomId: room.snapshot.roomId, counters: next });
  }

  private store(room: FakeRoom, message: ChatMessage): void {
    const list = room.stored;
    let at = list.length;
    while (at > 0 && (list[at - 1] as ChatMessage).order > message.order) at--;
    list.splice(at, 0, message);
  }

  /** Sequence numbers count per sender from 0, as each session of a peer does. */
  private nextSeq(peerId: string): number {
    const seq = this.seqs.get(peerId) ?? 0;
    this.seqs.set(peerId, seq + 1);
    return seq;
  }

  private messageFrom(roomId: string, incoming: Incoming, now: number, src: string, peer: Pick<PeerInfo, 'peerId' | 'nick'> | null): ChatMessage {
    const raw = incoming.raw ?? false;
    const text = utf8Length(incoming.text);
    const n = ++this.serial;
    const fragments = raw ? 1 : (incoming.fragments ?? Math.max(1, Math.ceil(text / FRAGMENT_TEXT)));
    return {
      kind: raw ? 'raw' : 'chat',
      roomId,
      id: hexId(n),
      text: incoming.text,
      nick: peer?.nick ?? null,
      peerId: peer?.peerId ?? null,
      src,
      ttl: raw ? null : (incoming.ttl ?? 1),
      seq: peer ? this.nextSeq(peer.peerId) : null,
      ts: now,
      receivedAt: now,
      own: false,
      fragments,
      bytes: raw ? text : text + fragments * FRAME_OVERHEAD,
      order: orderOf(now, n, peer?.peerId ?? `raw:${src}`),
      ...(incoming.via !== undefined && !raw ? { via: incoming.via } : {}),
      ...(incoming.iface !== undefined ? { iface: incoming.iface } : {}),
    };
  }
}

function configOf(room: RoomSnapshot): RoomConfigInput {
  return { name: room.name, group: room.group, port: room.port, ttl: room.ttl, loopback: room.loopback, ...(room.iface !== null ? { iface: room.iface } : {}) };
}

function asHistory(message: ChatMessage): ChatMessage {
  return message.history ? message : { ...message, history: true };
}

/** The hybrid clock's order key (reliability/hlc.ts): time, then a counter, then the sender. */
function orderOf(ts: number, n: number, peer: string): string {
  return `${String(ts).padStart(15, '0')}.${String(n).padStart(6, '0')}.${peer}`;
}

/** 16 hex digits, as the core's message ids are (and the contract requires for getMessageWire). */
function hexId(n: number): string {
  return `c0ffee${n.toString(16).padStart(10, '0')}`;
}

/** The peer id in groups of four, as the core shows a fingerprint. */
export function fingerprintOf(id: string): string {
  return id.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A stable 16-hex-digit id per nickname, so the same fake person is the same peer everywhere. */
export function fakePeerId(nick: string): string {
  let hash = 0x811c9dc5;
  for (const ch of nick) hash = Math.imul(hash ^ (ch.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return (hash.toString(16).padStart(8, '0') + (~hash >>> 0).toString(16).padStart(8, '0')).slice(0, 16);
}

function srcFor(nick: string, port: number): string {
  return `192.168.1.${20 + (parseInt(fakePeerId(nick).slice(0, 4), 16) % 200)}:${port}`;
}
