import type { ReachResult } from '../../shared/events.js';
import type { ProbeHeader, ReachHeader } from '../../shared/protocol/frame.js';
import { BoundedMap } from './crypto/bounded-map.js';
import { TokenBuckets } from './reliability/token-bucket.js';

/**
 * Answers to probes a room sends in all, per second (and a burst): a probe run of 8 TTLs from
 * a few teachers at once fits; a flood of probe ids from one attacker gets no more than this,
 * whatever the number of keys. Each answer is a few hundred bytes, also charged to the room's
 * answer budget by the caller.
 */
const ANSWERS_PER_SECOND = 10;
const ANSWER_BURST = 20;
/** Probe ids remembered as answered (keyed by what arrives, so bounded). */
const MAX_PROBES_REMEMBERED = 1_024;

/**
 * The answering side of the reach probe ("how far does my TTL reach?"): one answer per probe
 * id, to the lowest TTL that reached us (the prober sends the lowest first), at that TTL.
 */
export class ReachResponder {
  private readonly answered = new BoundedMap<string, true>(MAX_PROBES_REMEMBERED);
  private readonly rate = new TokenBuckets(ANSWERS_PER_SECOND, ANSWER_BURST, 1);
  /** Probes not answered: over the rate. */
  limited = 0;

  /** The answer to send for this probe (with its TTL), or null: already answered, or over the rate. */
  answer(probe: ProbeHeader, self: { peerId: string; nick: string }, now: number): ReachHeader | null {
    const id = `${probe.peer}/${probe.pid}`;
    if (this.answered.has(id)) return null;
    if (!this.rate.take('reach', now)) {
      this.limited++;
      return null;
    }
    this.answered.set(id, true);
    return { t: 'reach', peer: self.peerId, nick: self.nick, to: probe.peer, pid: probe.pid, ttl: probe.ttl };
  }
}

/** The probing side: who answered our probe `pid`, and at which TTL. */
export class ReachProbe {
  private readonly reached = new Map<string, { nick: string; src: string; ttl: number }>();

  constructor(
    readonly pid: string,
    private readonly self: string,
    /** Answers from more peers than this are not kept (a room of a thousand, or a flood). */
    private readonly maxPeers = 1_024,
  ) {}

  heard(reach: ReachHeader, src: string): void {
    if (reach.to !== this.self || reach.pid !== this.pid) return;
    const known = this.reached.get(reach.peer);
    if (known && known.ttl <= reach.ttl) return;
    if (!known && this.reached.size >= this.maxPeers) return;
    this.reached.set(reach.peer, { nick: reach.nick, src, ttl: reach.ttl });
  }

  /** Per TTL tried, the peers first reached at it. */
  result(ttlMax: number): ReachResult[] {
    const rows: ReachResult[] = Array.from({ length: ttlMax }, (_, i) => ({ ttl: i + 1, peers: [] }));
    for (const [peerId, { nick, src, ttl }] of this.reached) {
      const row = rows[ttl - 1];
      if (row) (row.peers as { peerId: string; nick: string; src: string }[]).push({ peerId, nick, src });
    }
    return rows;
  }
}
