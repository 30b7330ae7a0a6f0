/**
 * Receiver side of loss repair (after PGM, RFC 3208): per sender stream, find sequence numbers
 * that did not arrive, ask for them after a random back-off, hold back when someone else already
 * asked (suppression), retry a bounded number of times, then give up and say so.
 */
import type { GapReport } from '../../../shared/events.js';
import { BoundedMap } from '../crypto/bounded-map.js';
import { GapGroups, type GapClose, type GapGroup, type LossTally } from './gap-groups.js';

export type SeqRange = readonly [first: number, last: number];

export interface LossTiming {
  /** Wait this long for a reordered datagram when fewer than two newer ones arrived. */
  readonly reorderWaitMs: number;
  /** Random back-off before a NACK: one receiver of many asks, the others hear it and hold. */
  readonly backoffMs: number;
  /** Time before the second NACK for a gap; it doubles with each try up to maxRetryMs. */
  readonly retryMs: number;
  /** Longest time between NACKs for one gap (default: retryMs, a flat interval). */
  readonly maxRetryMs?: number;
  readonly maxTries: number;
  /** Gaps further behind than this are given up at once (a restarted or wildly jumping sender). */
  readonly maxWindow: number;
}

/**
 * A sender resends one message at most every 0.8 s however many NACKs name it (repair-buffer),
 * so asking faster than that after the first retries is wasted: 250 ms, 500 ms, then every
 * second, 12 tries in all (about 11 s, ten chances of a resend: at 30 % loss a message is lost
 * for good once in 170,000).
 */
export const DEFAULT_LOSS_TIMING: LossTiming = { reorderWaitMs: 60, backoffMs: 40, retryMs: 250, maxRetryMs: 1_000, maxTries: 12, maxWindow: 4096 };

/**
 * A gap the sender says went out with a narrower scope (lower TTL) than what we hear from it is
 * asked for this many times (in case we were in scope and lost it: the repair goes out at its
 * own TTL), then closed quietly: most likely it was never meant for this host.
 */
const NARROW_SCOPE_TRIES = 2;

interface Missing {
  /** When the next NACK for it may go out. */
  dueAt: number;
  tries: number;
  /** The run it was found missing with: one marker in the log. */
  readonly group: GapGroup;
  /** Sent with a lower TTL than later frames: maybe not meant for us. */
  narrow?: true;
}

interface Stream {
  readonly peer: string;
  readonly sess: string;
  nick: string;
  /** Every seq from `anchor` up to below `floor` was received or given up; below `anchor` is unknown (history). */
  anchor: number;
  floor: number;
  highest: number;
  /** Received above the floor, out of order. */
  readonly received: Set<number>;
  /** In ascending seq order: new gaps are always above the existing ones. */
  readonly missing: Map<number, Missing>;
}

export interface NackRequest {
  readonly peer: string;
  readonly sess: string;
  readonly ranges: SeqRange[];
}

export interface GapGivenUp {
  readonly peer: string;
  readonly sess: string;
  readonly nick: string;
  readonly count: number;
}

/** How a message arrived, for the wire story and the per-peer meter. */
export type Arrival = 'in-order' | 'reordered' | 'repaired' | 'late' | 'again' | 'historic';

/** Where a group of gaps sits in the log: the order key it is shown before. */
export type Position = () => string;

export interface LossStats {
  detected: number;
  recovered: number;
  givenUp: number;
  /** Given up, and then arrived after all (a late resend, a history answer): shown late. */
  recoveredLate: number;
  /** Narrower-scope gaps closed without a report: not meant for this host. */
  outOfScope: number;
}

/** A NACK names at most this many ranges; the rest wait for the next round. */
const MAX_NACK_RANGES = 32;
/**
 * Open gaps per sender beyond which the oldest are given up at once. Real loss (Wi-Fi, a busy
 * switch) leaves a handful open; hundreds mean we are the bottleneck (the kernel drops what we
 * cannot read in time), and asking for all of it again would only deepen the overload.
 */
const MAX_OPEN_GAPS_PER_STREAM = 256;
/**
 * A room's sequence starts at 0 with each join. A stream first heard live at a small seq k may
 * have lost 0..k-1 after we joined (with every announcement before them): those are asked for.
 * Past this, the sender was talking long before we came; what we lack is history, not loss.
 */
const BACKFILL_MAX = 16;
/** Sessions followed per peer (a restart or a second window is a new one), and streams per room. */
const MAX_STREAMS_PER_PEER = 4;
const MAX_STREAMS = 4_096;
/**
 * Given-up seqs remembered per room, so one that arrives after all is still shown: ~100 B each.
 * Beyond this the oldest are forgotten, and a late arrival of those is taken as already had.
 */
const MAX_GIVEN_UP_REMEMBERED = 16_384;
const noPosition: Position = () => '';

/**
 * Costs stay proportional to what changes: a datagram touches only its own stream's new gaps, and
 * `poll` walks the open gaps only when one of them is due.
 */
export class LossDetector {
  private readonly streams = new Map<string, Stream>();
  /** Stream keys per peer, oldest first (bounded with the streams). */
  private readonly streamsByPeer = new Map<string, string[]>();
  readonly stats: LossStats = { detected: 0, recovered: 0, givenUp: 0, recoveredLate: 0, outOfScope: 0 };
  /** `peer/sess/seq` of gaps settled without their message (given up, shed, muted), oldest first. */
  private readonly settledMissing = new BoundedMap<string, true>(MAX_GIVEN_UP_REMEMBERED);
  private readonly groups: GapGroups;
  private readonly pendingGiveUps = new Map<string, GapGivenUp>();
  private openGaps = 0;
  /** Seqs that came as history before their stream was live, so backfill does not ask for them again. */
  private readonly historic = new Map<string, Set<number>>();
  /** Peers whose datagrams we drop on purpose (flooding): the holes are ours, not loss. */
  private readonly muted = new Map<string, number>();
  /** No gap is due before this: poll returns at once until then. */
  private nextDueAt = Infinity;

  constructor(
    private readonly timing: LossTiming = DEFAULT_LOSS_TIMING,
    private readonly random: () => number = Math.random,
    private readonly tally: LossTally = () => undefined,
  ) {
    this.groups = new GapGroups(tally);
  }

  /**
   * A message arrived. The first message of a stream starts it: what came before is history,
   * not loss. Whether to show it is the id filter's business, not this one's.
   */
  received(peer: string, sess: string, nick: string, seq: number, now: number, position: Position = noPosition): Arrival {
    const known = this.streams.has(`${peer}/${sess}`);
    const stream = this.streamOf(peer, sess, nick, seq);
    if (!known) this.backfill(stream, seq, now);
    stream.nick = nick;
    if (seq < stream.floor || stream.received.has(seq)) {
      if (!this.settledMissing.delete(`${peer}/${sess}/${seq}`)) return 'again';
      this.stats.recoveredLate++;
      this.tally(peer, 'late', 1);
      return 'late';
    }
    let arrival: Arrival = seq < stream.highest ? 'reordered' : 'in-order';
    const gap = stream.missing.get(seq);
    if (gap) {
      stream.missing.delete(seq);
      this.openGaps--;
      this.stats.recovered++;
      arrival = gap.tries > 0 ? 'repaired' : 'reordered';
      this.groups.closed(gap.group, arrival);
    }
    if (seq === stream.floor && seq > stream.highest) {
      // The common case, in order with nothing open: no set to touch.
      stream.floor = seq + 1;
      stream.highest = seq;
      return arrival;
    }
    stream.received.add(seq);
    this.advanceTo(stream, seq, now, false, position);
    this.raiseFloor(stream);
    return arrival;
  }

  /** Groups of gaps that changed since the last call: markers to put or update in the log. */
  takeGapReports(): GapReport[] {
    return this.groups.take();
  }

  /**
   * The sender announced the next seq it will use: anything below it we lack is a tail loss. A
   * stream first heard of this way starts at `next`, so even the first message after joining can
   * be repaired.
   */
  lead(peer: string, sess: string, nick: string, next: number, now: number, young = false, position: Position = noPosition): void {
    const known = this.streams.has(`${peer}/${sess}`);
    const stream = this.streamOf(peer, sess, nick, next);
    // A session that began after we joined, heard of first by its announcement (its first
    // messages were lost, as with a one-shot `mcchat send`): all it sent is loss to repair.
    if (!known && young) this.backfill(stream, next, now, this.timing.maxWindow);
    if (next - 1 <= stream.highest) return;
    this.advanceTo(stream, next - 1, now, true, position);
  }

  /** A message from before we joined (a history answer): fills a gap, never opens one. */
  receivedHistoric(peer: string, sess: string, nick: string, seq: number, now: number): void {
    const key = `${peer}/${sess}`;
    if (this.streams.has(key)) {
      this.received(peer, sess, nick, seq, now);
      return;
    }
    if (seq >= BACKFILL_MAX) return;
    let seqs = this.historic.get(key);
    if (!seqs) {
      // Bounded: only the first few seqs of streams not heard live yet are worth remembering.
      if (this.historic.size >= 1024) this.historic.clear();
      seqs = new Set();
      this.historic.set(key, seqs);
    }
    seqs.add(seq);
  }

  /** Stop tracking `peer` until `until`: its open gaps are dropped and new holes are not gaps. */
  mute(peer: string, now: number, until: number): void {
    const already = this.isMuted(peer, now);
    this.muted.set(peer, until);
    if (already) return; // called per dropped datagram: the gaps were cleared the first time
    for (const stream of this.streams.values()) {
      if (stream.peer !== peer || stream.missing.size === 0) continue;
      this.openGaps -= stream.missing.size;
      for (const [seq, gap] of stream.missing) {
        this.settle(stream, seq);
        this.groups.closed(gap.group, 'lost');
      }
      stream.missing.clear();
      this.raiseFloor(stream);
    }
  }

  /**
   * The sender says these seqs went out with a lower TTL than its later frames: open gaps among
   * them are narrower-scope gaps (asked for briefly, then closed without a report).
   */
  scoped(peer: string, sess: string, runs: readonly (readonly [number, number, number])[]): void {
    const stream = this.streams.get(`${peer}/${sess}`);
    if (!stream || stream.missing.size === 0) return;
    for (const [seq, gap] of stream.missing) {
      if (runs.some(([first, last]) => seq >= first && seq <= last)) gap.narrow = true;
    }
  }

  /** Another receiver asked for these: hold our own NACK for them one retry interval. */
  heardNack(peer: string, sess: string, ranges: readonly SeqRange[], now: number): void {
    const stream = this.streams.get(`${peer}/${sess}`);
    if (!stream || stream.missing.size === 0) return;
    for (const [first, last] of ranges) {
      const to = Math.min(last, stream.highest, first + this.timing.maxWindow);
      for (let seq = Math.max(first, stream.floor); seq <= to; seq++) {
        const gap = stream.missing.get(seq);
        const delay = gap ? this.retryDelay(gap.tries + 1) : 0;
        if (gap && gap.dueAt <= now + delay) {
          gap.dueAt = now + delay + this.random() * this.timing.backoffMs;
          gap.tries++;
          this.groups.asked(gap.group);
        }
      }
    }
  }

  /** NACKs due now (their timers are moved to the next retry); give-ups wait for takeGivenUp. */
  poll(now: number): NackRequest[] {
    if (now < this.nextDueAt) return [];
    let nextDueAt = Infinity;
    const nacks: NackRequest[] = [];
    const asked = new Set<GapGroup>();
    for (const stream of this.streams.values()) {
      if (stream.missing.size === 0) continue;
      const ranges: [number, number][] = [];
      let gaveUp = 0;
      // Gaps due a moment later ride along in the same NACK instead of costing one of their own.
      const horizon = this.hasDue(stream, now) ? now + this.timing.backoffMs : now;
      for (const [seq, gap] of stream.missing) {
        if (gap.dueAt > horizon) {
          nextDueAt = Math.min(nextDueAt, gap.dueAt);
          continue;
        }
        if (gap.tries >= (gap.narrow ? NARROW_SCOPE_TRIES : this.timing.maxTries)) {
          stream.missing.delete(seq);
          this.settle(stream, seq);
          this.groups.closed(gap.group, gap.narrow ? 'outOfScope' : 'lost');
          if (gap.narrow) {
            this.openGaps--;
            this.stats.outOfScope++;
          } else gaveUp++;
          continue;
        }
        const last = ranges[ranges.length - 1];
        if (last && seq === last[1] + 1) last[1] = seq;
        else if (ranges.length < MAX_NACK_RANGES) ranges.push([seq, seq]);
        else {
          // Not asked for this round: no try is spent on it.
          nextDueAt = Math.min(nextDueAt, now);
          continue;
        }
        gap.tries++;
        asked.add(gap.group);
        gap.dueAt = now + this.retryDelay(gap.tries) + this.random() * this.timing.backoffMs;
        nextDueAt = Math.min(nextDueAt, gap.dueAt);
      }
      for (const group of asked) this.groups.asked(group);
      asked.clear();
      if (gaveUp > 0) {
        this.openGaps -= gaveUp;
        this.giveUp(stream, gaveUp);
      }
      if (ranges.length > 0) nacks.push({ peer: stream.peer, sess: stream.sess, ranges });
      this.raiseFloor(stream);
    }
    this.nextDueAt = nextDueAt;
    return nacks;
  }

  /** Gaps given up since the last call, one entry per sender stream with the total count. */
  takeGivenUp(): GapGivenUp[] {
    const all = [...this.pendingGiveUps.values()];
    this.pendingGiveUps.clear();
    return all;
  }

  /** A sender said goodbye or timed out: its gaps will never be repaired. */
  forgetPeer(peer: string): void {
    for (const [key, stream] of this.streams) {
      if (stream.peer !== peer) continue;
      if (stream.missing.size > 0) {
        this.openGaps -= stream.missing.size;
        for (const gap of stream.missing.values()) this.groups.closed(gap.group, gap.narrow ? 'outOfScope' : 'lost');
        const narrow = [...stream.missing.values()].filter((gap) => gap.narrow).length;
        this.stats.outOfScope += narrow;
        if (stream.missing.size > narrow) this.giveUp(stream, stream.missing.size - narrow);
      }
      this.streams.delete(key);
    }
    this.streamsByPeer.delete(peer);
  }

  missingCount(): number {
    return this.openGaps;
  }

  /** Sender sessions followed now. */
  get streamCount(): number {
    return this.streams.size;
  }

  /**
   * This seq of this session already arrived (or was settled) here: a copy of it is not new,
   * whatever the message-id filter has forgotten since (it holds an hour, or 100,000 ids).
   */
  alreadyHad(peer: string, sess: string, seq: number): boolean {
    const stream = this.streams.get(`${peer}/${sess}`);
    if (!stream || seq < stream.anchor || stream.missing.has(seq)) return false;
    return (seq < stream.floor || stream.received.has(seq)) && !this.settledMissing.has(`${peer}/${sess}/${seq}`);
  }

  /** A gap closed without its message: the floor may pass it, but the message is still new if it comes. */
  private settle(stream: Stream, seq: number): void {
    stream.received.add(seq);
    this.settledMissing.set(`${stream.peer}/${stream.sess}/${seq}`, true);
  }

  /** Wait after the `tries`-th NACK: retryMs, doubling, at most maxRetryMs. */
  private retryDelay(tries: number): number {
    const max = this.timing.maxRetryMs ?? this.timing.retryMs;
    return Math.min(max, this.timing.retryMs * 2 ** Math.max(0, tries - 1));
  }

  private streamOf(peer: string, sess: string, nick: string, start: number): Stream {
    const key = `${peer}/${sess}`;
    let stream = this.streams.get(key);
    if (!stream) {
      this.makeRoomFor(peer);
      const ofPeer = this.streamsByPeer.get(peer);
      if (ofPeer) ofPeer.push(key);
      else this.streamsByPeer.set(peer, [key]);
      stream = { peer, sess, nick, anchor: start, floor: start, highest: start - 1, received: new Set(), missing: new Map() };
      this.streams.set(key, stream);
    }
    return stream;
  }

  /**
   * Bounded by what arrives: one identity announcing 60,000 sessions held 47 MiB of streams until
   * it left. A peer keeps its newest few sessions, the room its newest few thousand streams.
   */
  private makeRoomFor(peer: string): void {
    const ofPeer = this.streamsByPeer.get(peer);
    if (ofPeer && ofPeer.length >= MAX_STREAMS_PER_PEER) this.dropStream(ofPeer[0] as string);
    if (this.streams.size >= MAX_STREAMS) {
      const oldest = this.streams.keys().next().value;
      if (oldest !== undefined) this.dropStream(oldest);
    }
  }

  private dropStream(key: string): void {
    const stream = this.streams.get(key);
    if (!stream) return;
    this.openGaps -= stream.missing.size;
    this.closeAll(stream, 'lost');
    this.streams.delete(key);
    const ofPeer = this.streamsByPeer.get(stream.peer)?.filter((k) => k !== key) ?? [];
    if (ofPeer.length > 0) this.streamsByPeer.set(stream.peer, ofPeer);
    else this.streamsByPeer.delete(stream.peer);
  }

  private backfill(stream: Stream, seq: number, now: number, max = BACKFILL_MAX): void {
    const historic = this.historic.get(`${stream.peer}/${stream.sess}`);
    this.historic.delete(`${stream.peer}/${stream.sess}`);
    if (seq <= 0 || seq > max || this.isMuted(stream.peer, now)) return;
    stream.anchor = 0;
    stream.floor = 0;
    stream.highest = -1;
    for (let s = 0; s < seq; s++) if (historic?.has(s)) stream.received.add(s);
    this.raiseFloor(stream);
  }

  private isMuted(peer: string, now: number): boolean {
    const until = this.muted.get(peer);
    if (until === undefined) return false;
    if (until > now) return true;
    this.muted.delete(peer);
    return false;
  }

  private advanceTo(stream: Stream, seq: number, now: number, fromLead: boolean, position: Position = noPosition): void {
    if (seq <= stream.highest) return;
    if (this.isMuted(stream.peer, now)) {
      // Holes we made ourselves by dropping a flood: move past them without asking.
      this.skipTo(stream, seq, fromLead);
      return;
    }
    if (seq - stream.highest > this.timing.maxWindow) {
      // A wildly jumping sender (or one we lost for long): start over from here, saying what was lost.
      this.resync(stream, seq);
      return;
    }
    const end = seq + (fromLead ? 1 : 0);
    let opening = 0;
    for (let s = stream.highest + 1; s < end; s++) if (!stream.received.has(s) && !stream.missing.has(s)) opening++;
    const group = opening > 0 ? this.groups.open(stream.peer, stream.sess, stream.nick, stream.highest + 1, end - 1, opening, position()) : null;
    for (let s = stream.highest + 1; s < end && group; s++) {
      if (stream.received.has(s) || stream.missing.has(s)) continue;
      this.stats.detected++;
      this.openGaps++;
      // Two newer datagrams make it a loss at once; otherwise give reordering a moment.
      const wait = seq - s >= 2 || fromLead ? 0 : this.timing.reorderWaitMs;
      const dueAt = now + wait + this.random() * this.timing.backoffMs;
      stream.missing.set(s, { dueAt, tries: 0, group });
      this.nextDueAt = Math.min(this.nextDueAt, dueAt);
    }
    this.certify(stream, seq, now);
    stream.highest = seq;
    if (stream.missing.size > MAX_OPEN_GAPS_PER_STREAM) this.shed(stream);
  }

  private shed(stream: Stream): void {
    let excess = stream.missing.size - MAX_OPEN_GAPS_PER_STREAM;
    const shed = excess;
    for (const [s, gap] of stream.missing) {
      if (excess-- <= 0) break;
      stream.missing.delete(s);
      this.settle(stream, s);
      this.groups.closed(gap.group, 'lost');
    }
    this.openGaps -= shed;
    this.giveUp(stream, shed);
    this.raiseFloor(stream);
  }

  private skipTo(stream: Stream, seq: number, fromLead: boolean): void {
    for (let s = stream.highest + 1; s < seq + (fromLead ? 1 : 0); s++) if (!stream.missing.has(s)) this.settle(stream, s);
    stream.highest = seq;
    this.raiseFloor(stream);
  }

  private resync(stream: Stream, seq: number): void {
    const open = stream.missing.size;
    if (open > 0) {
      this.openGaps -= open;
      this.giveUp(stream, open);
    }
    this.closeAll(stream, 'lost');
    stream.received.clear();
    stream.anchor = seq + 1;
    stream.floor = seq + 1;
    stream.highest = seq;
  }

  private hasDue(stream: Stream, now: number): boolean {
    for (const gap of stream.missing.values()) if (gap.dueAt <= now) return true;
    return false;
  }

  /** Gaps just below `seq` that now have two newer datagrams stop waiting for reordering. */
  private certify(stream: Stream, seq: number, now: number): void {
    if (stream.missing.size === 0) return;
    for (const s of [stream.highest - 1, stream.highest]) {
      const gap = stream.missing.get(s);
      if (gap && seq - s >= 2 && gap.tries === 0) {
        gap.dueAt = Math.min(gap.dueAt, now + this.random() * this.timing.backoffMs);
        this.nextDueAt = Math.min(this.nextDueAt, gap.dueAt);
      }
    }
  }

  /** Empties the stream's open gaps, each closed as `how`. */
  private closeAll(stream: Stream, how: GapClose): void {
    for (const gap of stream.missing.values()) this.groups.closed(gap.group, gap.narrow ? 'outOfScope' : how);
    stream.missing.clear();
  }

  private raiseFloor(stream: Stream): void {
    while (stream.received.has(stream.floor)) {
      stream.received.delete(stream.floor);
      stream.floor++;
    }
  }

  private giveUp(stream: Stream, count: number): void {
    this.stats.givenUp += count;
    const key = `${stream.peer}/${stream.sess}`;
    const last = this.pendingGiveUps.get(key);
    this.pendingGiveUps.set(key, { peer: stream.peer, sess: stream.sess, nick: stream.nick, count: (last?.count ?? 0) + count });
  }
}
