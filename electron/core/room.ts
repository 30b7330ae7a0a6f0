import { ChatError, type ChatErrorInfo, type ChatWarning } from '../../shared/errors.js';
import { emptyCounters, type ChatMessage, type CoreEvent, type PeerInfo, type RoomCounters, type RoomSnapshot, type RoomStatus } from '../../shared/events.js';
import { decodeDatagram, encodeBye, encodeChat, encodeHello, encodeUtf8 } from '../../shared/protocol/codec.js';
import { MAX_DATAGRAM_BYTES, MAX_TEXT_BYTES, REASSEMBLY_TIMEOUT_MS } from '../../shared/protocol/constants.js';
import type { ChatHeader } from '../../shared/protocol/frame.js';
import { groupWarnings, parseRoomConfig, type RoomConfig } from '../../shared/room-config.js';
import type { Clock, TimerHandle } from './clock.js';
import { randomId } from './ids.js';
import type { NetInterface } from './interfaces.js';
import { toChatError } from './os-errors.js';
import { PeerTable, type PeerChange } from './peer-table.js';
import { Reassembler } from './reassembly.js';
import { RecentSet } from './recent-set.js';
import { closeRoomSockets, openRoomSockets, type RoomSockets } from './room-sockets.js';
import type { ReceivedFrom, SocketFactory } from './udp-socket.js';

export interface RoomDeps {
  readonly createSocket: SocketFactory;
  readonly clock: Clock;
  readonly platform: NodeJS.Platform;
  readonly peerId: string;
  readonly nickname: () => string;
  readonly appVersion: string;
  readonly presenceIntervalMs: number;
  readonly presenceTimeoutMs: number;
  readonly emit: (event: CoreEvent) => void;
}

/** Same datagram via two interfaces arrives within microseconds; a resend by a person does not. */
const RAW_DUPLICATE_WINDOW_MS = 250;
const FRAME_DUPLICATE_WINDOW_MS = 120_000;
const SWEEP_INTERVAL_MS = 1_000;
/** A newcomer hears from us within this time instead of waiting a whole presence interval. */
const GREETING_MAX_DELAY_MS = 500;

export function roomIdOf(group: string, port: number): string {
  return `${group}:${port}`;
}

/** One joined multicast endpoint: its sockets, its receive path, its peers and counters. */
export class Room {
  readonly id: string;
  private config: RoomConfig;
  private status: RoomStatus = 'joining';
  private error: ChatErrorInfo | null = null;
  private sockets: RoomSockets | null = null;
  private joinWarnings: readonly ChatWarning[] = [];
  private seq = 0;
  private rawCount = 0;
  private readonly counterValues: RoomCounters = emptyCounters();
  private countersDirty = false;
  private readonly peerTable: PeerTable;
  private readonly seenFrames = new RecentSet(FRAME_DUPLICATE_WINDOW_MS, 200_000);
  private readonly seenRaw = new RecentSet(RAW_DUPLICATE_WINDOW_MS, 10_000);
  private readonly reassembler = new Reassembler(REASSEMBLY_TIMEOUT_MS, 256);
  private timers: TimerHandle[] = [];
  private greeting: TimerHandle | null = null;
  /** "ip:port" of our own sending sockets: a raw datagram from one of them is our own echo. */
  private ownSources = new Set<string>();

  private constructor(
    config: RoomConfig,
    private readonly interfaces: readonly NetInterface[],
    private readonly sendOnly: boolean,
    private readonly deps: RoomDeps,
  ) {
    this.config = config;
    this.id = roomIdOf(config.group, config.port);
    this.peerTable = new PeerTable(deps.presenceTimeoutMs, deps.presenceIntervalMs);
  }

  static async join(config: RoomConfig, interfaces: readonly NetInterface[], sendOnly: boolean, deps: RoomDeps): Promise<Room> {
    const room = new Room(config, interfaces, sendOnly, deps);
    await room.open();
    return room;
  }

  private async open(): Promise<void> {
    this.sockets = await openRoomSockets(
      {
        group: this.config.group,
        port: this.config.port,
        ttl: this.config.ttl,
        loopback: this.config.loopback,
        interfaces: this.interfaces,
        sendOnly: this.sendOnly,
        platform: this.deps.platform,
      },
      this.deps.createSocket,
      (data, from) => this.receive(data, from),
      (error) => this.socketFailed(error),
    );
    this.joinWarnings = this.sockets.warnings;
    this.ownSources = new Set(this.sockets.senders.map((s) => `${s.iface.address}:${s.socket.localPort()}`));
    this.status = 'joined';
    if (this.sendOnly) return;
    this.emitRoom();
    void this.announce();
    this.timers.push(this.deps.clock.every(this.deps.presenceIntervalMs, () => void this.announce()));
    this.timers.push(this.deps.clock.every(SWEEP_INTERVAL_MS, () => this.sweep()));
  }

  snapshot(): RoomSnapshot {
    return {
      roomId: this.id,
      name: this.config.name,
      group: this.config.group,
      port: this.config.port,
      ttl: this.config.ttl,
      loopback: this.config.loopback,
      iface: this.config.iface ?? null,
      status: this.status,
      interfaces: (this.sockets?.joined ?? this.interfaces).map((i) => ({ name: i.name, address: i.address })),
      warnings: [...groupWarnings(this.config.group, this.config.ttl), ...this.joinWarnings],
      error: this.error,
      groupFiltered: this.sockets?.groupFiltered ?? true,
    };
  }

  counters(): RoomCounters {
    return { ...this.counterValues };
  }

  peers(): PeerInfo[] {
    return this.peerTable.list();
  }

  setTtl(ttl: number): RoomSnapshot {
    const next = parseRoomConfig({ ...this.config, ttl });
    for (const sender of this.sockets?.senders ?? []) sender.socket.setMulticastTTL(next.ttl);
    this.config = next;
    this.emitRoom();
    return this.snapshot();
  }

  /** Sends a message; resolves once every datagram has been handed to the OS. */
  async send(text: string, raw: boolean): Promise<ChatMessage> {
    if (this.status !== 'joined' || !this.sockets) {
      throw new ChatError('NOT_JOINED', `Room ${this.config.name} is not joined${this.error ? `: ${this.error.message}` : ''}.`);
    }
    const bytes = encodeUtf8(text);
    if (raw ? bytes.length === 0 : text.trim().length === 0) throw new ChatError('EMPTY_TEXT', 'There is nothing to send.', 'text');
    const limit = raw ? MAX_DATAGRAM_BYTES : MAX_TEXT_BYTES;
    if (bytes.length > limit) {
      throw new ChatError(
        'TEXT_TOO_LONG',
        raw
          ? `A raw datagram is sent as one packet of at most ${MAX_DATAGRAM_BYTES} bytes; this one is ${bytes.length} bytes.`
          : `A message can be at most ${MAX_TEXT_BYTES} bytes of UTF-8; this one is ${bytes.length} bytes.`,
        'text',
      );
    }
    const now = this.deps.clock.now();
    const header: Omit<ChatHeader, 't' | 'frag'> = {
      peer: this.deps.peerId,
      nick: this.deps.nickname(),
      id: randomId(),
      seq: this.seq,
      ttl: this.config.ttl,
      ts: now,
    };
    const datagrams = raw ? [bytes] : encodeChat(header, text);
    await this.transmit(datagrams);
    if (!raw) this.seq = (this.seq + 1) >>> 0;
    const first = this.sockets.senders[0];
    const message: ChatMessage = {
      kind: raw ? 'raw' : 'chat',
      roomId: this.id,
      id: raw ? `own-raw-${++this.rawCount}` : header.id,
      text,
      nick: header.nick,
      peerId: this.deps.peerId,
      src: first ? `${first.iface.address}:${first.socket.localPort()}` : '',
      ttl: this.config.ttl,
      seq: raw ? null : header.seq,
      ts: now,
      receivedAt: now,
      own: true,
      fragments: datagrams.length,
      bytes: datagrams.reduce((sum, d) => sum + d.length, 0),
    };
    if (!this.sendOnly) this.deps.emit({ type: 'message', message });
    return message;
  }

  /** Says goodbye, leaves the group on every interface and closes the sockets. Never throws. */
  async leave(): Promise<void> {
    if (this.status === 'left') return;
    for (const timer of this.timers) timer.cancel();
    this.timers = [];
    this.greeting?.cancel();
    this.greeting = null;
    if (this.sockets && this.status === 'joined' && !this.sendOnly) {
      await this.transmit([encodeBye({ peer: this.deps.peerId, nick: this.deps.nickname() })]).catch(() => undefined);
    }
    this.status = 'left';
    if (this.sockets) await closeRoomSockets(this.sockets, this.config.group);
    this.peerTable.clear();
    if (!this.sendOnly) this.emitRoom();
  }

  /** Re-announces now, e.g. after a nickname change. */
  announceNow(): void {
    void this.announce();
  }

  private async transmit(datagrams: readonly Uint8Array[]): Promise<void> {
    const senders = this.sockets?.senders ?? [];
    const results = await Promise.allSettled(
      senders.flatMap((sender) => datagrams.map((d) => sender.socket.send(d, this.config.port, this.config.group))),
    );
    let sentBytes = 0;
    let sent = 0;
    let firstError: unknown;
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') {
        sent++;
        sentBytes += datagrams[index % datagrams.length]?.length ?? 0;
      } else {
        this.counterValues.sendErrors++;
        firstError ??= result.reason;
      }
    });
    this.counterValues.datagramsOut += sent;
    this.counterValues.bytesOut += sentBytes;
    this.countersDirty = true;
    if (firstError !== undefined && sent === 0) {
      throw toChatError(firstError, { group: this.config.group, port: this.config.port, iface: senders[0]?.iface.address });
    }
  }

  private async announce(): Promise<void> {
    if (this.status !== 'joined') return;
    const hello = encodeHello({ peer: this.deps.peerId, nick: this.deps.nickname(), app: this.deps.appVersion, ivl: this.deps.presenceIntervalMs });
    await this.transmit([hello]).catch((error: unknown) => this.reportError(toChatError(error, { group: this.config.group, port: this.config.port })));
  }

  /** The datagram path: hot, so cheap checks first, and nothing may escape into the socket. */
  private receive(data: Buffer, from: ReceivedFrom): void {
    const c = this.counterValues;
    c.datagramsIn++;
    c.bytesIn += data.length;
    this.countersDirty = true;
    try {
      this.dispatch(data, from);
    } catch {
      // Decoding is total; this only guards against a bug turning one datagram into a crash.
      c.invalidFrames++;
    }
  }

  private dispatch(data: Buffer, from: ReceivedFrom): void {
    const c = this.counterValues;
    const now = this.deps.clock.now();
    const src = `${from.address}:${from.port}`;
    const decoded = decodeDatagram(data);
    if (decoded.kind === 'rejected') {
      if (decoded.reason === 'unsupported-version') c.unsupportedVersion++;
      else c.invalidFrames++;
      return;
    }
    if (decoded.kind === 'raw') {
      if (this.ownSources.has(src)) {
        c.ownEchoes++;
        return;
      }
      if (this.seenRaw.checkAndAdd(`${src}\n${decoded.text}`, now)) {
        c.duplicates++;
        return;
      }
      c.rawDatagrams++;
      this.deps.emit({
        type: 'message',
        message: {
          kind: 'raw',
          roomId: this.id,
          id: `raw-${++this.rawCount}`,
          text: decoded.text,
          nick: null,
          peerId: null,
          src,
          ttl: null,
          seq: null,
          ts: now,
          receivedAt: now,
          own: false,
          fragments: 1,
          bytes: data.length,
        },
      });
      return;
    }
    const header = decoded.header;
    if (header.peer === this.deps.peerId) {
      c.ownEchoes++;
      return;
    }
    switch (header.t) {
      case 'hello':
        c.presenceIn++;
        this.peerChanged(this.peerTable.see({ peerId: header.peer, nick: header.nick, address: from.address, app: header.app, intervalMs: header.ivl }, now));
        return;
      case 'bye':
        c.presenceIn++;
        this.peerChanged(this.peerTable.bye(header.peer));
        return;
      case 'chat':
        this.receiveChat(header, decoded.body, data.length, src, from.address, now);
        return;
    }
  }

  private receiveChat(header: ChatHeader, body: string, size: number, src: string, address: string, now: number): void {
    const c = this.counterValues;
    if (this.seenFrames.checkAndAdd(`${header.peer}/${header.id}/${header.frag?.[0] ?? 0}`, now)) {
      c.duplicates++;
      return;
    }
    c.chatFramesIn++;
    this.peerChanged(this.peerTable.see({ peerId: header.peer, nick: header.nick, address }, now));
    let text = body;
    let fragments = 1;
    let bytes = size;
    if (header.frag) {
      c.fragmentsIn++;
      const whole = this.reassembler.add(`${header.peer}/${header.id}`, header.frag[0], header.frag[1], body, size, now);
      if (!whole) return;
      ({ text, fragments, bytes } = whole);
    }
    c.chatMessagesIn++;
    this.deps.emit({
      type: 'message',
      message: {
        kind: 'chat',
        roomId: this.id,
        id: header.id,
        text,
        nick: header.nick,
        peerId: header.peer,
        src,
        ttl: header.ttl,
        seq: header.seq,
        ts: header.ts,
        receivedAt: now,
        own: false,
        fragments,
        bytes,
      },
    });
  }

  private peerChanged(change: PeerChange | null): void {
    if (!change) return;
    if (change.kind === 'left') {
      this.deps.emit({ type: 'peer-left', roomId: this.id, peer: change.peer, reason: change.reason });
      return;
    }
    this.deps.emit({ type: change.kind === 'joined' ? 'peer-joined' : 'peer-updated', roomId: this.id, peer: change.peer });
    if (change.kind === 'joined') this.greetNewcomer();
  }

  /** A newcomer learns who is here without waiting a full interval; one greeting covers a burst of joins. */
  private greetNewcomer(): void {
    if (this.greeting) return;
    this.greeting = this.deps.clock.after(Math.random() * GREETING_MAX_DELAY_MS, () => {
      this.greeting = null;
      void this.announce();
    });
  }

  private sweep(): void {
    const now = this.deps.clock.now();
    for (const change of this.peerTable.expire(now)) this.peerChanged(change);
    const expired = this.reassembler.expire(now);
    if (expired > 0) {
      this.counterValues.incompleteExpired += expired;
      this.countersDirty = true;
    }
    if (this.countersDirty) {
      this.countersDirty = false;
      this.deps.emit({ type: 'counters', roomId: this.id, counters: this.counters() });
    }
  }

  private socketFailed(error: Error): void {
    this.reportError(toChatError(error, { group: this.config.group, port: this.config.port }));
  }

  private reportError(error: ChatError): void {
    this.deps.emit({ type: 'error', roomId: this.id, error: error.toInfo() });
  }

  private emitRoom(): void {
    this.deps.emit({ type: 'room', room: this.snapshot() });
  }
}
