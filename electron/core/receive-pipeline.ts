import type { RoomCounters } from '../../shared/events.js';
import { MAX_TEXT_BYTES, REASSEMBLY_TIMEOUT_MS } from '../../shared/protocol/constants.js';
import type { ChatHeader, ProbeHeader, ReachHeader } from '../../shared/protocol/frame.js';
import type { Admission } from './admission.js';
import type { FrameGate, GatedHeader, RefusedBy } from './frame-gate.js';
import { messageIdOf } from './ids.js';
import { MessageLedger } from './message-ledger.js';
import { Reassembler } from './reassembly.js';
import type { PeerMeters } from './peer-meter.js';
import { orderKey, type HybridClock } from './reliability/hlc.js';
import type { Arrival } from './reliability/loss-detector.js';
import type { RoomRepair } from './reliability/room-repair.js';
import type { RoomPresence } from './room-presence.js';
import type { RoomStore } from './room-store.js';
import type { ReceivedFrom } from './udp-socket.js';

/** Incomplete long messages held at once, in bytes (256 of the largest would be 4.9 MB). */
const REASSEMBLY_MAX_BYTES = 1024 * 1024;
const REASSEMBLY_MAX_MESSAGES = 256;
/** A message stamped before we joined, by more than this, is history (not loss, not presence). */
const LIVE_SLACK_MS = 1_000;

const VIA: Record<Arrival, 'live' | 'repair' | 'late' | 'history'> = {
  'in-order': 'live',
  reordered: 'live',
  again: 'live',
  repaired: 'repair',
  late: 'late',
  historic: 'history',
};

export interface PipelineDeps {
  readonly roomId: string;
  readonly gate: FrameGate;
  readonly admission: Admission;
  readonly hlc: HybridClock;
  readonly repair: RoomRepair;
  readonly presence: RoomPresence;
  readonly meters: PeerMeters;
  /** The name of the interface a datagram from this address came in on, when it can be told. */
  readonly arrivalIface: (address: string) => string | undefined;
  /** The room's counters, counted in place; `changed` says they moved. */
  readonly counters: RoomCounters;
  readonly changed: () => void;
  readonly store: () => RoomStore;
  /** Where our own datagrams come from (a raw datagram from there is our echo). */
  readonly ownSources: () => ReadonlySet<string>;
  readonly joinedAt: () => number;
  /** A chat message older than this says nothing about who is here now. */
  readonly presenceTimeoutMs: number;
  /** Someone asks who its probe at this TTL reaches. */
  readonly probed: (probe: ProbeHeader, now: number) => void;
  /** An answer to a probe (ours or someone else's). */
  readonly reached: (reach: ReachHeader, src: string) => void;
  /** A datagram was refused: the room may owe the user an explanation (wrong passphrase…). */
  readonly refused: (by: RefusedBy, src: string, now: number) => void;
}

/**
 * A room's receive path, one stage after the other: admission (size, version, per-source budget)
 * and the gate (decrypt, verify under the budget) in FrameGate; the verified peer's own
 * allowance; one ledger of what was seen; reassembly; order (the hybrid clock); store; emit.
 * Every datagram lands in exactly one counter: a refusal, a duplicate or replay, a fragment
 * held, or a message, raw datagram or control frame taken.
 */
export class ReceivePipeline {
  private readonly reassembler = new Reassembler(REASSEMBLY_TIMEOUT_MS, REASSEMBLY_MAX_MESSAGES, REASSEMBLY_MAX_BYTES);
  private readonly ledger: MessageLedger;
  private rawCount = 0;

  constructor(private readonly deps: PipelineDeps) {
    this.ledger = new MessageLedger({
      alreadyHad: (peer, sess, seq) => deps.repair.alreadyHad(peer, sess, seq),
      wasStored: (key) => deps.store().wasStored(key),
      holdsFragment: (key, index) => this.reassembler.has(key, index),
    });
  }

  receive(data: Buffer, from: ReceivedFrom, now: number): void {
    const c = this.deps.counters;
    c.datagramsIn++;
    c.bytesIn += data.length;
    this.deps.changed();
    try {
      this.dispatch(data, `${from.address}:${from.port}`, from.address, now);
    } catch {
      // Decoding is total; this only guards against a bug turning one datagram into a crash.
      c.invalidFrames++;
    }
  }

  /** A stored message restored at open is known at once. */
  restored(key: string, now: number): void {
    this.ledger.restored(key, now);
  }

  /** Drops long messages whose fragments stopped coming; returns how many. */
  expire(now: number): number {
    const expired = this.reassembler.expire(now);
    if (expired > 0) {
      this.deps.counters.incompleteExpired += expired;
      this.deps.changed();
    }
    return expired;
  }

  private dispatch(data: Buffer, src: string, address: string, now: number): void {
    const result = this.deps.gate.incoming(data, src);
    if (result.kind === 'refused') {
      this.deps.counters[result.by]++;
      if (result.claim) this.deps.repair.unheard(result.claim, now);
      this.deps.refused(result.by, src, now);
      return;
    }
    if (result.kind === 'raw') {
      this.receiveRaw(result.text, data.length, src, now);
      return;
    }
    const header = result.header;
    // Verified: the peer's own allowance. Only its own excess flags it and mutes its repair.
    if (!this.deps.admission.admitVerified(header.peer, src, now)) {
      this.deps.counters.floodDropped++;
      this.deps.repair.dropping(header.peer, now);
      return;
    }
    if (header.t === 'chat') this.receiveChat(header, result.body, data, src, address, now, result.seen);
    else this.receiveControl(header, src, address, now);
  }

  private receiveRaw(text: string, size: number, src: string, now: number): void {
    const c = this.deps.counters;
    if (this.deps.ownSources().has(src)) {
      c.ownEchoes++;
      return;
    }
    if (this.ledger.knownRaw(src, text, now)) {
      c.duplicates++;
      return;
    }
    c.rawDatagrams++;
    const iface = this.deps.arrivalIface(src.slice(0, src.lastIndexOf(':')));
    this.deps.store().deliver(
      {
        kind: 'raw',
        roomId: this.deps.roomId,
        id: `raw-${++this.rawCount}`,
        text,
        nick: null,
        peerId: null,
        src,
        ttl: null,
        seq: null,
        ts: now,
        receivedAt: now,
        own: false,
        fragments: 1,
        bytes: size,
        order: orderKey(this.deps.hlc.tick(), `raw:${src}`),
        ...(iface !== undefined ? { iface } : {}),
      },
      null,
    );
  }

  private receiveControl(header: Exclude<GatedHeader, ChatHeader>, src: string, address: string, now: number): void {
    const { counters: c, presence, repair } = this.deps;
    switch (header.t) {
      case 'hello':
        c.presenceIn++;
        presence.heardHello({ peerId: header.peer, nick: header.nick, address, app: header.app, intervalMs: header.ivl }, now, header.seen);
        // Its clock, read now: a witness when another peer's stamp is far ahead (hlc.ts).
        if (header.st !== undefined && header.up !== undefined) this.deps.hlc.witness(header.peer, header.st + header.up);
        if (header.next !== undefined) {
          const young = header.up !== undefined && header.up <= now - this.deps.joinedAt();
          repair.heardAnnouncement(header.peer, header.sess, header.nick, header.next, header.sk, young, now, () => orderKey(this.deps.hlc.tick(), header.peer));
        }
        return;
      case 'bye':
        c.presenceIn++;
        presence.heardBye(header.peer);
        return;
      case 'nack':
        c.controlIn++;
        repair.heardNack(header, now);
        return;
      case 'sync':
        c.controlIn++;
        repair.heardSync(header.rid, header.max);
        return;
      case 'hist':
        c.controlIn++;
        repair.heardHistoryAnswer(header.rid);
        return;
      case 'probe':
        c.controlIn++;
        this.deps.probed(header, now);
        return;
      case 'reach':
        c.controlIn++;
        this.deps.reached(header, src);
        return;
      default:
        // Every frame type the schema knows is handled above: a new one fails to compile here.
        header satisfies never;
    }
  }

  /** `seen`: what the replay guard said; a resent frame is shown only if its message is new to us. */
  private receiveChat(header: ChatHeader & { readonly sess: string }, body: string, data: Buffer, src: string, address: string, now: number, seen: 'new' | 'copy' | 'replay'): void {
    const c = this.deps.counters;
    const id = messageIdOf(header.sess, header.seq);
    const key = `${header.peer}/${id}`;
    if (this.ledger.knownChat({ key, peer: header.peer, sess: header.sess, seq: header.seq, frag: header.frag }, now)) {
      if (seen === 'replay') c.replayed++;
      else c.duplicates++;
      this.deps.meters.count(header.peer, 'duplicates');
      return;
    }
    c.chatFramesIn++;
    // History answers carry old messages: they say nothing about who is here now.
    if (seen === 'new' && now - header.ts < this.deps.presenceTimeoutMs) this.deps.presence.heardChat(header.peer, header.nick, address, now);
    let text = body;
    let fragments = 1;
    let bytes = data.length;
    let datagrams: Uint8Array[] = [data];
    if (header.frag) {
      c.fragmentsIn++;
      const whole = this.reassembler.add(key, header.frag[0], header.frag[1], body, data, now);
      if (!whole) return;
      this.ledger.completed(key, now);
      ({ text, fragments, bytes, datagrams } = whole);
      // Senders refuse more than 8 KiB; sixteen fragments could carry more, so receivers refuse it too.
      if (Buffer.byteLength(text) > MAX_TEXT_BYTES) return;
    }
    const stamp = this.deps.hlc.receive({ l: header.ts, c: header.hc ?? 0 }, header.peer);
    // Only live traffic is tracked for loss: messages from before we joined are history, not gaps.
    const live = stamp.l >= this.deps.joinedAt() - LIVE_SLACK_MS;
    const order = orderKey(stamp, header.peer);
    const arrival = this.deps.repair.received({ peer: header.peer, sess: header.sess, nick: header.nick, seq: header.seq, ttl: header.ttl, live, sk: header.sk }, key, datagrams, now, order);
    c.chatMessagesIn++;
    this.deps.meters.count(header.peer, 'received');
    const iface = this.deps.arrivalIface(address);
    this.deps.store().deliver(
      {
        kind: 'chat',
        roomId: this.deps.roomId,
        id,
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
        order,
        via: VIA[arrival],
        ...(iface !== undefined ? { iface } : {}),
        ...(stamp.aheadMs !== undefined ? { clockAheadMs: Math.round(stamp.aheadMs) } : {}),
        ...(live ? {} : { history: true as const }),
      },
      datagrams,
    );
  }
}
