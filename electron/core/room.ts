import { ChatError, type ChatErrorInfo, type ChatWarning } from '../../shared/errors.js';
import { outgoingTextProblem } from '../../shared/outgoing-text.js';
import { emptyCounters, type ChatMessage, type CoreEvent, type HistoryPage, type PeerInfo, type PeerMeter, type ReachResult, type RoomCounters, type RoomSnapshot, type RoomStatus } from '../../shared/events.js';
import { encodeUtf8, readMarker } from '../../shared/protocol/codec.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/constants.js';
import type { ChatHeader, ProbeHeader } from '../../shared/protocol/frame.js';
import { groupWarnings, parseRoomConfig, type RoomConfig } from '../../shared/room-config.js';
import { PROBE_SPACING_MS, PROBE_WAIT_MS } from '../../shared/reach.js';
import { roomIdOf } from '../../shared/room-id.js';
import type { Clock, TimerHandle } from './clock.js';
import type { Identity } from './crypto/identity.js';
import type { ReplayGuard } from './crypto/replay-guard.js';
import type { RoomKey } from './crypto/room-key.js';
import type { TrustStore } from './crypto/trust-store.js';
import { FrameGate } from './frame-gate.js';
import { messageIdOf, randomId } from './ids.js';
import type { NetInterface } from './interfaces.js';
import { toChatError } from './os-errors.js';
import { ReceivePipeline } from './receive-pipeline.js';
import { RefusalNotices } from './refusal-notices.js';
import { RoomPresence } from './room-presence.js';
import { PeerMeters } from './peer-meter.js';
import { ReachProbe, ReachResponder } from './reach-probe.js';
import { Admission } from './admission.js';
import type { FloodLimit } from './reliability/flood-guard.js';
import { orderKey, type HybridClock } from './reliability/hlc.js';
import type { LossTiming } from './reliability/loss-detector.js';
import { RoomRepair } from './reliability/room-repair.js';
import { RoomLink } from './room-link.js';
import { RoomStore } from './room-store.js';
import { LINGER_ANNOUNCEMENTS_MS, waitUntilQuiet, type LingerPolicy } from './linger.js';
import { DEFAULT_REPAIR_LIMITS } from './reliability/repair-buffer.js';
import { ScopeLedger } from './reliability/scope-ledger.js';
import type { RoomMode } from './types.js';
import type { RoomHistory, RoomHistoryOptions } from './history/index.js';
import type { SocketFactory } from './udp-socket.js';

export interface RoomDeps {
  readonly createSocket: SocketFactory;
  readonly clock: Clock;
  readonly hlc: HybridClock;
  readonly platform: NodeJS.Platform;
  /** Signs every frame we send; its public key is our peer id. */
  readonly identity: Identity;
  /** One per core: sessions and counters of every peer seen, across rooms. */
  readonly replay: ReplayGuard;
  /** Trust on first use: who first used a nickname, which fingerprints the user verified. */
  readonly trust: TrustStore | null;
  readonly nickname: () => string;
  readonly appVersion: string;
  readonly presenceIntervalMs: number;
  readonly presenceTimeoutMs: number;
  readonly floodLimit?: FloodLimit;
  readonly lossTiming?: LossTiming;
  /** How many recent messages a newcomer asks for. */
  readonly historyRequest: number;
  /** The room's history on disk, when there is one. */
  readonly openHistory?: (roomId: string, options: RoomHistoryOptions) => Promise<RoomHistory>;
  readonly emit: (event: CoreEvent) => void;
}

const SWEEP_INTERVAL_MS = 1_000;
/** Each probe TTL is sent twice, this far apart (the spacing and final wait are in shared/reach.ts). */
const PROBE_REPEAT_MS = 30;
/** After a burst, tell receivers our next seq soon, so a lost last message is noticed. */
const TRAILING_HELLO_MS = 200;
/** ...and once more a little later, in case that announcement was lost too. */
const SECOND_TRAILING_HELLO_MS = 1_000;
/** A room that sent a chat message this recently lingers for repairs when leaving: what it could still resend. */
const RECENTLY_SENT_MS = DEFAULT_REPAIR_LIMITS.maxAgeMs;
/** A failing history is reported at most this often. */
const HISTORY_ERROR_INTERVAL_MS = 60_000;
/** Send errors that mean the interface or its address went away: rejoin instead of failing. */
const NETWORK_GONE = new Set(['ADDRESS_NOT_AVAILABLE', 'NO_SUCH_DEVICE', 'NETWORK_ERROR']);

/** Where a room joins, and what the user should know about that choice. */
export interface InterfaceChoice {
  readonly interfaces: readonly NetInterface[];
  readonly warnings: readonly ChatWarning[];
}

// Lives in shared/ (the dispatcher needs it in the browser too); re-exported for the core.
export { roomIdOf };

/** One joined multicast endpoint: its sockets, its receive path, its peers, repair and counters. */
export class Room {
  readonly id: string;
  private config: RoomConfig;
  private status: RoomStatus = 'joining';
  private error: ChatErrorInfo | null = null;
  private readonly link: RoomLink;
  /** Which TTL our recent messages went out with: frames tell receivers about narrower ones. */
  private readonly scopes = new ScopeLedger();
  /** When we last sent a chat message: only a room that did lingers when leaving. */
  private lastChatSentAt = -Infinity;
  private lastHistoryErrorAt = -Infinity;
  /** We said hello in this session: only then is a goodbye due (a raw `mcchat send` says neither). */
  private announced = false;
  private interfaces: readonly NetInterface[];
  /** About the interface choice (e.g. only loopback is left), from the core. */
  private interfaceWarnings: readonly ChatWarning[];
  /** This join of the room: its sequence starts at 0, so receivers tell a rejoin from loss. */
  private readonly sess = randomId();
  private readonly sessionStartedAt: number;
  private seq = 0;
  private rawCount = 0;
  private joinedAt = 0;
  private readonly counterValues: RoomCounters = emptyCounters();
  private countersDirty = false;
  private readonly presence: RoomPresence;
  private readonly meters = new PeerMeters();
  private readonly reachResponder = new ReachResponder();
  /** Our reach probes under way (one per call; a handful at most). */
  private readonly probes = new Set<ReachProbe>();
  private readonly pipeline: ReceivePipeline;
  private readonly repair: RoomRepair;
  private readonly gate: FrameGate;
  private readonly refusals: RefusalNotices;
  /** Flood limits: junk per source address, signed frames per key (a source is not an identity). */
  private readonly admission: Admission;
  private timers: TimerHandle[] = [];
  private trailingHello: TimerHandle | null = null;
  private store: RoomStore;

  private constructor(
    config: RoomConfig,
    interfaces: readonly NetInterface[],
    interfaceWarnings: readonly ChatWarning[],
    private readonly mode: RoomMode,
    private readonly deps: RoomDeps,
    key: RoomKey | null,
  ) {
    this.config = config;
    this.interfaces = interfaces;
    this.interfaceWarnings = interfaceWarnings;
    this.id = roomIdOf(config.group, config.port);
    this.sessionStartedAt = deps.clock.now();
    this.admission = new Admission(
      deps.floodLimit ? { flood: deps.floodLimit, unverified: { rate: deps.floodLimit.rate * 4, burst: deps.floodLimit.burst * 2 }, strangers: { rate: deps.floodLimit.rate * 2, burst: deps.floodLimit.burst } } : undefined,
    );
    this.gate = new FrameGate({
      identity: deps.identity,
      replay: deps.replay,
      key,
      sess: this.sess,
      startedAt: deps.clock.now(),
      now: () => deps.clock.now(),
      admission: this.admission,
      // A one-shot sender says no hello first: its messages carry its key.
      introduceAlways: mode === 'sender',
    });
    this.repair = new RoomRepair({
      frame: (header, body) => this.gate.outgoing(header, body),
      keyOf: (peer) => (peer === deps.identity.peerId ? deps.identity.publicKey : deps.replay.keys.keyOf(peer)),
      histKeyRoom: () => this.gate.histKeyRoom(),
      clock: deps.clock,
      peerId: deps.identity.peerId,
      sess: this.sess,
      ...(deps.lossTiming ? { lossTiming: deps.lossTiming } : {}),
      send: (datagrams, ttl) => void this.transmit(datagrams, ttl).catch((error: unknown) => this.sendFailed(error)),
      sendPaced: (datagrams, ttl) => this.transmit(datagrams, ttl).catch(() => undefined),
      isJoined: () => this.status === 'joined' || this.status === 'leaving',
      tally: (peer, what, n) => this.meters.count(peer, what, n),
      gapsChanged: (reports) => {
        for (const gap of reports) deps.emit({ type: 'loss', roomId: this.id, gap });
      },
      gaveUp: (gap) => {
        this.countersDirty = true;
        deps.emit({ type: 'gap', roomId: this.id, peerId: gap.peer, nick: gap.nick, count: gap.count });
      },
      counted: (what, n) => {
        if (what === 'nack') this.counterValues.nacksSent += n;
        else this.counterValues.historySent += n;
        this.countersDirty = true;
      },
    });
    this.refusals = new RefusalNotices(config.name);
    this.store = new RoomStore(null, deps.emit);
    this.link = new RoomLink({
      createSocket: deps.createSocket,
      onDatagram: (data, from) => this.pipeline.receive(data, from, deps.clock.now()),
      onSocketError: (error) => this.socketFailed(error),
      counters: this.counterValues,
      changed: () => (this.countersDirty = true),
    });
    this.presence = new RoomPresence({
      roomId: this.id,
      clock: deps.clock,
      trust: deps.trust,
      timeoutMs: deps.presenceTimeoutMs,
      intervalMs: deps.presenceIntervalMs,
      emit: deps.emit,
      present: () => this.present,
      announce: (seen) => void this.announce(seen),
      peerLeft: (peerId) => this.repair.forgetPeer(peerId),
    });
    this.pipeline = new ReceivePipeline({
      roomId: this.id,
      gate: this.gate,
      admission: this.admission,
      hlc: deps.hlc,
      repair: this.repair,
      presence: this.presence,
      meters: this.meters,
      arrivalIface: (address) => this.link.arrivalIface(address),
      counters: this.counterValues,
      changed: () => (this.countersDirty = true),
      store: () => this.store,
      ownSources: () => this.link.ownSources,
      joinedAt: () => this.joinedAt,
      presenceTimeoutMs: deps.presenceTimeoutMs,
      refused: (by, src, now) => {
        const notice = this.refusals.refused(by, src, now);
        if (notice) this.deps.emit({ type: 'error', roomId: this.id, error: notice.error.toInfo(), sources: notice.sources, moreSources: notice.more });
      },
      probed: (probe, now) => this.answerProbe(probe, now),
      reached: (reach, src) => {
        for (const probe of this.probes) probe.heard(reach, src);
      },
    });
  }

  static async join(config: RoomConfig, choice: InterfaceChoice, mode: RoomMode, deps: RoomDeps, key: RoomKey | null = null): Promise<Room> {
    const room = new Room(config, choice.interfaces, choice.warnings, mode, deps, key);
    if (mode !== 'sender') await room.openStore();
    try {
      await room.open();
    } catch (error) {
      await room.store.close();
      throw error;
    }
    if (mode === 'member') room.presence.startAnnouncing();
    room.timers.push(deps.clock.every(SWEEP_INTERVAL_MS, () => room.sweep()));
    if (mode !== 'sender') room.emitRoom();
    if (mode === 'member') room.greetRoom();
    return room;
  }

  /** Sends nothing at all: a passive listener. */
  private get silent(): boolean {
    return this.mode === 'passive';
  }

  /** Only a member is seen in the room (announces, greets newcomers, asks for history). */
  private get present(): boolean {
    return this.mode === 'member';
  }

  private async open(): Promise<void> {
    const plan = {
      group: this.config.group,
      port: this.config.port,
      ttl: this.config.ttl,
      loopback: this.config.loopback,
      interfaces: this.interfaces,
      platform: this.deps.platform,
    };
    await this.link.open(plan, this.mode === 'sender');
    this.status = 'joined';
    this.error = null;
    this.joinedAt = this.deps.clock.now();
  }

  /**
   * Opens the room's history and remembers its newest messages, so history answers after a
   * restart are not shown twice and we can answer newcomers ourselves. A history that cannot be
   * opened is reported; the room works without it.
   */
  private async openStore(): Promise<void> {
    if (!this.deps.openHistory) return;
    try {
      const history = await this.deps.openHistory(this.id, { onError: (error) => this.historyFailed(error) });
      this.store = new RoomStore(history, this.deps.emit, this.deps.clock);
      const damaged = history.stats().tornRecordsSkipped;
      if (damaged > 0) {
        this.reportError(new ChatError('HISTORY_DAMAGED', `The history of room ${this.config.name} had ${damaged} damaged record${damaged === 1 ? '' : 's'} (a crash or a full disk while writing); ${damaged === 1 ? 'it was' : 'they were'} skipped, the rest is intact.`));
      }
      const now = this.deps.clock.now();
      for (const { key, message, datagrams } of await this.store.restore(this.deps.historyRequest)) {
        if (message.kind !== 'chat') continue;
        this.pipeline.restored(key, now);
        // Datagrams of an older protocol version are kept for the inspector but not resent: nobody would take them.
        if (datagrams.length > 0 && datagrams.every((d) => readMarker(d)?.version === PROTOCOL_VERSION)) this.repair.restored(key, datagrams, message.receivedAt, message.ttl ?? 1, message.own);
      }
      void this.store.indexStoredKeys().catch(() => undefined); // a failed read leaves the newest-only filter
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.reportError(new ChatError('HISTORY_UNAVAILABLE', `The history of room ${this.config.name} could not be opened (${reason}); messages are shown but not stored.`));
    }
  }

  /**
   * A write to the history failed (a full disk, an I/O error): said at once, then at most once a
   * minute while it goes on. The store marks the messages it could not keep; writing is tried
   * again with every batch, so it resumes by itself when space returns.
   */
  private historyFailed(error: Error): void {
    const now = this.deps.clock.now();
    if (now - this.lastHistoryErrorAt < HISTORY_ERROR_INTERVAL_MS) return;
    this.lastHistoryErrorAt = now;
    this.reportError(new ChatError('HISTORY_WRITE_FAILED', `Messages in room ${this.config.name} could not be saved (${error.message}): they are shown, marked "not saved", and will be missing after a restart. Saving resumes by itself once the disk has room.`));
  }

  /** A page of stored history, newest page first when paging back. */
  history(before: number | undefined, limit: number): Promise<HistoryPage> {
    return this.store.page(before, limit);
  }

  searchHistory(query: string, limit: number): Promise<ChatMessage[]> {
    return this.store.search(query, limit);
  }

  /** Announce ourselves and ask who was here for what we missed. */
  private greetRoom(): void {
    void this.announce();
    this.presence.followUpAfterJoining();
    void this.transmit([this.gate.outgoing({ t: 'sync', peer: this.deps.identity.peerId, rid: randomId(), max: this.deps.historyRequest })]).catch(() => undefined);
  }

  /** The interfaces this room should be on now; the core calls this when the network changed. */
  async rejoin({ interfaces, warnings }: InterfaceChoice, reason: ChatErrorInfo | null): Promise<void> {
    if (this.status === 'left') return;
    const same = this.status === 'joined' && sameInterfaces(interfaces, this.link.joined ?? []);
    this.interfaceWarnings = warnings;
    if (same) return;
    await this.link.close(this.config.group);
    this.interfaces = interfaces;
    this.interfaceWarnings = warnings;
    this.status = 'reconnecting';
    this.error = reason;
    this.emitRoom();
    if (interfaces.length === 0) return;
    try {
      await this.open();
    } catch (error) {
      this.status = 'reconnecting';
      this.error = toChatError(error, { group: this.config.group, port: this.config.port }).toInfo();
      this.emitRoom();
      return;
    }
    if (this.mode === 'sender') return;
    this.emitRoom();
    if (this.present) this.greetRoom();
  }

  /** The interfaces the room asked for (what a rejoin compares against). */
  wantedInterfaces(): readonly NetInterface[] {
    return this.interfaces;
  }

  get pinnedIface(): string | undefined {
    return this.config.iface;
  }

  get isReconnecting(): boolean {
    return this.status === 'reconnecting';
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
      interfaces: (this.link.joined ?? this.interfaces).map((i) => ({ name: i.name, address: i.address })),
      warnings: [...groupWarnings(this.config.group, this.config.ttl), ...this.interfaceWarnings, ...this.link.warnings],
      error: this.error,
      groupFiltered: this.link.groupFiltered,
      encrypted: this.gate.encrypted,
      keyId: this.gate.keyId,
      ...(this.mode !== 'member' ? { mode: this.mode } : {}),
    };
  }

  counters(): RoomCounters {
    const c = this.counterValues;
    return { ...c, ...this.repair.stats() };
  }

  peers(): PeerInfo[] {
    return this.presence.list();
  }

  /**
   * "How far does my TTL reach?": probes at TTL 1, 2, … `ttlMax` (each sent twice, a loss of one
   * would make a peer look a router further), then waits for the last answers. Per TTL, the
   * peers first reached with it.
   */
  async probeReach(ttlMax: number, options: { spacingMs?: number; waitMs?: number } = {}): Promise<ReachResult[]> {
    if (this.status !== 'joined' || this.silent) {
      throw new ChatError('NOT_JOINED', `Room ${this.config.name} cannot probe: it is ${this.silent ? 'joined passively and sends nothing' : 'not joined'}.`);
    }
    const max = Math.max(1, Math.min(255, Math.round(ttlMax)));
    const spacingMs = options.spacingMs ?? PROBE_SPACING_MS;
    const probe = new ReachProbe(randomId(), this.deps.identity.peerId);
    this.probes.add(probe);
    const pause = (ms: number): Promise<void> => new Promise((resolve) => this.deps.clock.after(ms, resolve));
    try {
      for (let ttl = 1; ttl <= max; ttl++) {
        const datagram = this.gate.outgoing({ t: 'probe', peer: this.deps.identity.peerId, pid: probe.pid, ttl });
        await this.transmit([datagram], ttl);
        await pause(PROBE_REPEAT_MS);
        await this.transmit([this.gate.outgoing({ t: 'probe', peer: this.deps.identity.peerId, pid: probe.pid, ttl })], ttl);
        await pause(spacingMs - PROBE_REPEAT_MS);
      }
      await pause(options.waitMs ?? PROBE_WAIT_MS);
      return probe.result(max);
    } finally {
      this.probes.delete(probe);
    }
  }

  /** A member answers a probe once, at the TTL that reached it, within the room's answer budget. */
  private answerProbe(probe: ProbeHeader, now: number): void {
    if (!this.present || this.status !== 'joined') return;
    const answer = this.reachResponder.answer(probe, { peerId: this.deps.identity.peerId, nick: this.deps.nickname() }, now);
    if (!answer) return;
    const datagram = this.gate.outgoing(answer);
    if (!this.repair.spend(datagram.length, now)) return;
    void this.transmit([datagram], answer.ttl).catch((error: unknown) => this.sendFailed(error));
  }

  /** Per-peer meters, for every peer counted so far (also those that left). */
  meter(): PeerMeter[] {
    return this.meters.all();
  }

  /**
   * The datagrams a message came in (or went out) as, base64: from the recent messages kept in
   * memory, else from the history on disk. Null when neither holds them (a raw datagram, or an
   * old message of a room without history).
   */
  async wireOf(key: string): Promise<readonly string[] | null> {
    const recent = this.repair.datagramsOf(key);
    if (recent) return recent.map((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64'));
    return this.store.wireOf(key);
  }

  /** New messages go out with `ttl`; those already sent keep theirs when resent. */
  setTtl(ttl: number): RoomSnapshot {
    const next = parseRoomConfig({ ...this.config, ttl });
    this.config = next;
    this.emitRoom();
    return this.snapshot();
  }

  /** Sends a message; resolves once every datagram has been handed to the OS. */
  async send(text: string, raw: boolean): Promise<ChatMessage> {
    if (this.status !== 'joined' || !this.link.isOpen) {
      throw new ChatError('NOT_JOINED', `Room ${this.config.name} is not joined${this.error ? `: ${this.error.message}` : ''}.`);
    }
    if (this.silent) throw new ChatError('INVALID_ARGUMENT', `Room ${this.config.name} is joined passively: it sends nothing.`);
    if (raw && this.gate.encrypted) {
      throw new ChatError('INVALID_ARGUMENT', 'A passphrase room sends only encrypted messages: raw text would be readable by anyone on the network.', 'text');
    }
    const problem = outgoingTextProblem(text, raw);
    if (problem) throw problem;
    const now = this.deps.clock.now();
    const stamp = this.deps.hlc.tick();
    const ttl = this.config.ttl;
    const skipped = this.scopes.narrowerThan(ttl);
    // `ts` is the stamp's wall part: what every receiver shows and sorts by, with `hc` breaking ties.
    const header: Omit<ChatHeader, 't' | 'frag'> = {
      peer: this.deps.identity.peerId,
      nick: this.deps.nickname(),
      sess: this.sess,
      seq: this.seq,
      ttl,
      ts: stamp.l,
      ...(stamp.c !== 0 ? { hc: stamp.c } : {}),
      ...(skipped ? { sk: skipped } : {}),
    };
    const id = messageIdOf(this.sess, header.seq);
    const datagrams = raw ? [encodeUtf8(text)] : this.gate.chat(header, text);
    if (!raw) {
      // Remembered before sending: a NACK may come back before the send promise settles.
      this.repair.sent(header.seq, `${header.peer}/${id}`, datagrams, ttl, now);
      this.scopes.record(header.seq, ttl);
      this.seq = (this.seq + 1) >>> 0;
      this.lastChatSentAt = now;
    }
    await this.transmit(datagrams, ttl);
    if (!raw && this.present) this.scheduleTrailingHello();
    const message: ChatMessage = {
      kind: raw ? 'raw' : 'chat',
      roomId: this.id,
      id: raw ? `own-raw-${++this.rawCount}` : id,
      text,
      nick: header.nick,
      peerId: this.deps.identity.peerId,
      src: this.link.firstSource,
      ...(this.link.firstIface !== undefined ? { iface: this.link.firstIface } : {}),
      ttl: this.config.ttl,
      seq: raw ? null : header.seq,
      ts: now,
      receivedAt: now,
      own: true,
      fragments: datagrams.length,
      bytes: datagrams.reduce((sum, d) => sum + d.length, 0),
      order: orderKey(stamp, this.deps.identity.peerId),
    };
    if (this.mode !== 'sender') this.store.deliver(message, raw ? null : datagrams);
    return message;
  }

  /**
   * Says goodbye, leaves the group on every interface and closes the sockets. Never throws.
   * With a linger policy, a room that sent messages lately first announces where its sequence
   * stands and stays to answer repairs until the room is quiet (see linger.ts); `cutShort`
   * (a second Ctrl+C) ends that wait at once.
   */
  async leave(linger: LingerPolicy | null = null, cutShort?: Promise<unknown>): Promise<void> {
    if (this.status === 'left' || this.status === 'leaving') return;
    // Lingering needs ears: without a receive socket nobody's request for a resend can reach us.
    const canRepair = this.link.canHear;
    if (linger && canRepair && this.status === 'joined' && !this.silent && this.deps.clock.now() - this.lastChatSentAt < RECENTLY_SENT_MS) {
      await this.lingerForRepairs(linger, cutShort);
    }
    for (const timer of [...this.timers, this.trailingHello]) timer?.cancel();
    this.presence.stopAnnouncing();
    this.timers = [];
    this.trailingHello = null;
    this.repair.dispose();
    if (this.link.isOpen && this.announced && this.status !== 'reconnecting' && this.status !== 'joining') {
      await this.transmit([this.gate.outgoing({ t: 'bye', peer: this.deps.identity.peerId, nick: this.deps.nickname() })]).catch(() => undefined);
    }
    this.status = 'left';
    await this.link.close(this.config.group);
    this.presence.close();
    await this.store.close();
    if (this.mode !== 'sender') this.emitRoom();
  }

  private async lingerForRepairs(policy: LingerPolicy, cutShort: Promise<unknown> | undefined): Promise<void> {
    this.status = 'leaving';
    this.emitRoom();
    this.trailingHello?.cancel();
    this.trailingHello = null;
    const announcements = LINGER_ANNOUNCEMENTS_MS.map((ms) => this.deps.clock.after(ms, () => void this.announce()));
    await waitUntilQuiet(this.deps.clock, policy, () => this.repair.lastAskedAt, cutShort);
    for (const timer of announcements) timer.cancel();
  }

  /** Re-announces now, e.g. after a nickname change or a resume from sleep. */
  announceNow(): void {
    void this.announce();
  }

  /** Sends at `ttl` (the room's TTL unless a resend keeps its message's own). */
  private async transmit(datagrams: readonly Uint8Array[], ttl = this.config.ttl): Promise<void> {
    if (this.silent) return;
    await this.link.send(datagrams, ttl, { group: this.config.group, port: this.config.port });
  }

  private async announce(seen?: number): Promise<void> {
    if (this.silent || (this.status !== 'joined' && this.status !== 'leaving')) return;
    const skipped = this.scopes.narrowerThan(this.config.ttl);
    const hello = this.gate.outgoing({
      t: 'hello',
      peer: this.deps.identity.peerId,
      nick: this.deps.nickname(),
      app: this.deps.appVersion,
      ivl: this.presence.announceIntervalMs(),
      sess: this.sess,
      next: this.seq,
      up: Math.min(0xffffffff, Math.max(0, Math.round(this.deps.clock.now() - this.sessionStartedAt))),
      ...(skipped ? { sk: skipped } : {}),
      ...(seen !== undefined ? { seen } : {}),
    });
    this.announced = true;
    this.presence.sentHello(hello.length);
    await this.transmit([hello]).catch((error: unknown) => this.sendFailed(error));
  }

  private scheduleTrailingHello(): void {
    this.trailingHello?.cancel();
    this.trailingHello = this.deps.clock.after(TRAILING_HELLO_MS, () => {
      void this.announce();
      this.trailingHello = this.deps.clock.after(SECOND_TRAILING_HELLO_MS - TRAILING_HELLO_MS, () => {
        this.trailingHello = null;
        void this.announce();
      });
    });
  }

  setVerified(peerId: string, verified: boolean): void {
    this.presence.setVerified(peerId, verified);
  }

  private sweep(): void {
    const now = this.deps.clock.now();
    this.presence.expire(now);
    this.pipeline.expire(now);
    this.reportFlooding();
    // Give-ups are reported even when no datagram arrives to wake the loss detector.
    this.repair.sweep();
    const meters = this.meters.takeChanged();
    if (meters.length > 0) this.deps.emit({ type: 'meter', roomId: this.id, peers: meters });
    if (this.countersDirty) {
      this.countersDirty = false;
      this.deps.emit({ type: 'counters', roomId: this.id, counters: this.counters() });
    }
  }

  private reportFlooding(): void {
    const reports = this.admission.reports();
    const flooding = new Set<string>();
    for (const { src, peerId, dropped } of reports) {
      if (peerId) flooding.add(peerId);
      this.deps.emit({ type: 'flood', roomId: this.id, src, peerId, nick: peerId ? this.presence.nickOf(peerId) : null, dropped });
    }
    this.presence.flagFlooding(flooding);
  }

  private sendFailed(error: unknown): void {
    const info = toChatError(error, { group: this.config.group, port: this.config.port });
    this.reportError(info);
    // The interface went away under us (sleep, roaming, unplugged): the core's watcher rejoins.
    if (NETWORK_GONE.has(info.code) && this.status === 'joined') {
      this.status = 'reconnecting';
      this.error = info.toInfo();
      this.emitRoom();
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

function sameInterfaces(a: readonly NetInterface[], b: readonly NetInterface[]): boolean {
  return a.length === b.length && a.every((i) => b.some((j) => j.name === i.name && j.address === i.address));
}
