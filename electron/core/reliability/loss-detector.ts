/**
 * Receiver side of loss repair (after PGM, RFC 3208): per sender stream, find sequence numbers
 * that did not arrive, ask for them after a random back-off, hold back when someone else already
 * asked (suppression), retry a bounded number of times, then give up and say so.
 */
export type SeqRange = readonly [first: number, last: number];

export interface LossTiming {
  /** Wait this long for a reordered datagram when fewer than two newer ones arrived. */
  readonly reorderWaitMs: number;
  /** Random back-off before a NACK: one receiver of many asks, the others hear it and hold. */
  readonly backoffMs: number;
  /** Time between NACKs for the same gap. */
  readonly retryMs: number;
  readonly maxTries: number;
  /** Gaps further behind than this are given up at once (a restarted or wildly jumping sender). */
  readonly maxWindow: number;
}

export const DEFAULT_LOSS_TIMING: LossTiming = { reorderWaitMs: 60, backoffMs: 40, retryMs: 250, maxTries: 10, maxWindow: 4096 };

interface Missing {
  /** When the next NACK for it may go out. */
  dueAt: number;
  tries: number;
}

interface Stream {
  readonly peer: string;
  readonly sess: string;
  nick: string;
  /** Every seq below `floor` was received or given up. */
  floor: number;
  highest: number;
  readonly received: Set<number>;
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

export interface LossStats {
  detected: number;
  recovered: number;
  givenUp: number;
}

/** Groups sorted sequence numbers into [first, last] runs: what goes into a NACK. */
export function toRanges(seqs: readonly number[]): SeqRange[] {
  const ranges: [number, number][] = [];
  for (const seq of [...seqs].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && seq === last[1] + 1) last[1] = seq;
    else ranges.push([seq, seq]);
  }
  return ranges;
}

export class LossDetector {
  private readonly streams = new Map<string, Stream>();
  readonly stats: LossStats = { detected: 0, recovered: 0, givenUp: 0 };
  private readonly pendingGiveUps: GapGivenUp[] = [];

  constructor(
    private readonly timing: LossTiming = DEFAULT_LOSS_TIMING,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * A message arrived. The first message of a stream starts it: what came before is history,
   * not loss. Whether to show it is the id filter's business, not this one's.
   */
  received(peer: string, sess: string, nick: string, seq: number, now: number): void {
    const key = `${peer}/${sess}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { peer, sess, nick, floor: seq, highest: seq - 1, received: new Set(), missing: new Map() };
      this.streams.set(key, stream);
    }
    stream.nick = nick;
    if (seq < stream.floor || stream.received.has(seq)) return;
    stream.received.add(seq);
    if (stream.missing.delete(seq)) this.stats.recovered++;
    this.advanceTo(stream, seq, now);
    this.raiseFloor(stream);
  }

  /** The sender announced the next seq it will use: anything below it we lack is a tail loss. */
  lead(peer: string, sess: string, next: number, now: number): void {
    const stream = this.streams.get(`${peer}/${sess}`);
    if (!stream || next - 1 <= stream.highest) return;
    this.advanceTo(stream, next - 1, now, true);
  }

  /** Another receiver asked for these: hold our own NACK for them one retry interval. */
  heardNack(peer: string, sess: string, ranges: readonly SeqRange[], now: number): void {
    const stream = this.streams.get(`${peer}/${sess}`);
    if (!stream) return;
    for (const [first, last] of ranges) {
      for (let seq = Math.max(first, stream.floor); seq <= last && seq <= stream.highest; seq++) {
        const gap = stream.missing.get(seq);
        if (gap && gap.dueAt <= now + this.timing.retryMs) {
          gap.dueAt = now + this.timing.retryMs + this.random() * this.timing.backoffMs;
          gap.tries++;
        }
      }
    }
  }

  /** NACKs due now (their timers are moved to the next retry), and gaps given up since last call. */
  poll(now: number): { nacks: NackRequest[]; givenUp: GapGivenUp[] } {
    const nacks: NackRequest[] = [];
    for (const stream of this.streams.values()) {
      const due: number[] = [];
      let gaveUp = 0;
      for (const [seq, gap] of stream.missing) {
        if (gap.dueAt > now) continue;
        if (gap.tries >= this.timing.maxTries) {
          stream.missing.delete(seq);
          stream.received.add(seq); // counted as settled, so the floor can pass it
          gaveUp++;
          continue;
        }
        gap.tries++;
        gap.dueAt = now + this.timing.retryMs + this.random() * this.timing.backoffMs;
        due.push(seq);
      }
      if (gaveUp > 0) this.giveUp(stream, gaveUp);
      if (due.length > 0) nacks.push({ peer: stream.peer, sess: stream.sess, ranges: toRanges(due).slice(0, 32) });
      this.raiseFloor(stream);
    }
    return { nacks, givenUp: this.pendingGiveUps.splice(0) };
  }

  /** A sender said goodbye or timed out: its gaps will never be repaired. */
  forgetPeer(peer: string): void {
    for (const [key, stream] of this.streams) {
      if (stream.peer !== peer) continue;
      if (stream.missing.size > 0) this.giveUp(stream, stream.missing.size);
      this.streams.delete(key);
    }
  }

  missingCount(): number {
    let n = 0;
    for (const stream of this.streams.values()) n += stream.missing.size;
    return n;
  }

  private advanceTo(stream: Stream, seq: number, now: number, fromLead = false): void {
    if (seq <= stream.highest) return;
    const from = stream.highest + 1;
    const tooFar = seq - this.timing.maxWindow;
    for (let s = from; s < seq + (fromLead ? 1 : 0); s++) {
      if (stream.received.has(s) || stream.missing.has(s)) continue;
      if (s < tooFar) {
        stream.received.add(s);
        this.giveUp(stream, 1);
        continue;
      }
      this.stats.detected++;
      // Two newer datagrams make it a loss at once; otherwise give reordering a moment.
      const wait = seq - s >= 2 ? 0 : this.timing.reorderWaitMs;
      stream.missing.set(s, { dueAt: now + wait + this.random() * this.timing.backoffMs, tries: 0 });
    }
    // Older gaps become certain once two newer datagrams are in.
    for (const [s, gap] of stream.missing) {
      if (seq - s >= 2 && gap.tries === 0) gap.dueAt = Math.min(gap.dueAt, now + this.random() * this.timing.backoffMs);
    }
    stream.highest = seq;
  }

  private raiseFloor(stream: Stream): void {
    while (stream.received.has(stream.floor)) {
      stream.received.delete(stream.floor);
      stream.floor++;
    }
  }

  private giveUp(stream: Stream, count: number): void {
    this.stats.givenUp += count;
    const last = this.pendingGiveUps.find((g) => g.peer === stream.peer && g.sess === stream.sess);
    if (last) (last as { count: number }).count += count;
    else this.pendingGiveUps.push({ peer: stream.peer, sess: stream.sess, nick: stream.nick, count });
  }
}
