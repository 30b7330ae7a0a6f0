import { BoundedMap } from './crypto/bounded-map.js';
import { DEFAULT_FLOOD_LIMIT, type FloodLimit } from './reliability/flood-guard.js';
import { TokenBuckets } from './reliability/token-bucket.js';

/**
 * Who pays for a datagram, before and after it is verified. A source address is not an
 * identity: anyone can send from a real peer's ip:port. So:
 * - junk (raw text, invalid or unsigned frames, bad signatures) is limited per source ip:port,
 *   and a flood of it is reported against that address only, never against a peer;
 * - a signed frame is limited per (claimed key, source) before verification (so forged frames
 *   from other ports cannot use up a peer's allowance), and per verified peer after it: only
 *   a peer's own verified traffic can flag it as flooding or mute its repair.
 */
export interface AdmissionLimits {
  /** Junk per source, and verified traffic per peer. */
  readonly flood: FloodLimit;
  /** Signed frames per established (key, source) before verification: a bound on Ed25519 work. */
  readonly unverified: FloodLimit;
  /**
   * Signed frames from (key, source) pairs that never verified here, all together: strangers
   * (and forgers) share this, so fresh identities by the thousand cost a fixed CPU share.
   */
  readonly strangers: FloodLimit;
}

export const DEFAULT_ADMISSION_LIMITS: AdmissionLimits = { flood: DEFAULT_FLOOD_LIMIT, unverified: { rate: 2_000, burst: 4_000 }, strangers: { rate: 1_000, burst: 2_000 } };

/** Tokens a failed verification from a stranger costs the strangers' budget: forgers pay for it. */
const FAILURE_PENALTY = 20;
/**
 * (key, source) pairs remembered as verified, in two tables. New pairs go to `recent`; a pair
 * still verifying a minute after its first is promoted to `established`, which only other
 * established pairs can push out. Strangers verify at most 1,000 a second (their shared
 * budget), so `recent` holds at least 16 s of a flood: three announcements of a real peer that
 * joined just before it. Measured before: with one table of 4,096, a flood of fresh identities
 * pushed an idle real peer out in 4 s, half its frames were then cut as a stranger's and
 * another peer timed it out.
 */
const MAX_ESTABLISHED = 4_096;
const MAX_RECENT = 16_384;
const ESTABLISHED_AFTER_MS = 60_000;
/** Junk sources named one by one in a flood report; the rest are summed in one line. */
const NAMED_SOURCES = 3;

export interface FloodReport {
  readonly src: string;
  /** Set only when the peer's own verified traffic was over its limit. */
  readonly peerId: string | null;
  readonly dropped: number;
}

const STRANGERS = 'strangers';

export class Admission {
  private readonly junk: TokenBuckets;
  private readonly unverified: TokenBuckets;
  private readonly verified: TokenBuckets;
  private readonly strangers: TokenBuckets;
  /** (key, source) pairs that have sent frames that verified for a minute or more: known peers go first. */
  private readonly established = new BoundedMap<string, true>(MAX_ESTABLISHED);
  /** Pairs verified lately, with when they first verified. */
  private readonly recent = new BoundedMap<string, number>(MAX_RECENT);
  /** Drops since the last report, by "src" (junk) or "peer\nsrc" (verified). */
  private readonly dropped = new Map<string, number>();

  constructor(limits: AdmissionLimits = DEFAULT_ADMISSION_LIMITS) {
    this.junk = new TokenBuckets(limits.flood.rate, limits.flood.burst);
    this.unverified = new TokenBuckets(limits.unverified.rate, limits.unverified.burst);
    this.verified = new TokenBuckets(limits.flood.rate, limits.flood.burst);
    this.strangers = new TokenBuckets(limits.strangers.rate, limits.strangers.burst, 1);
  }

  /** A datagram that is not (or not yet known to be) a peer's: charged to its source. */
  admitJunk(src: string, now: number): boolean {
    if (this.junk.take(src, now)) return true;
    this.count(src);
    return false;
  }

  /** A signed frame claiming `peer`, before the signature is checked. */
  admitUnverified(peer: string, src: string, now: number): boolean {
    const pair = `${peer}\n${src}`;
    const known = this.isKnown(pair);
    if ((known || this.strangers.take(STRANGERS, now)) && this.unverified.take(pair, now)) return true;
    this.count(src);
    return false;
  }

  /** A signature failed: a stranger's failure costs the strangers' budget more than one try. */
  failed(peer: string, src: string, now: number): void {
    if (this.isKnown(`${peer}\n${src}`)) return;
    for (let i = 1; i < FAILURE_PENALTY; i++) if (!this.strangers.take(STRANGERS, now)) return;
  }

  /** A frame whose signature verified: the peer's own allowance. */
  admitVerified(peer: string, src: string, now: number): boolean {
    this.remember(`${peer}\n${src}`, now);
    if (this.verified.take(peer, now)) return true;
    this.count(`${peer}\n${src}`);
    return false;
  }

  /**
   * What was dropped since the last call; a peer appears only for its own verified excess. Junk
   * from many sources (forged, rotating ports) is one line for all but the worst few, not one
   * per source: 26,000 lines a flood said less than one.
   */
  reports(): FloodReport[] {
    const peers: FloodReport[] = [];
    const sources: FloodReport[] = [];
    for (const [key, dropped] of this.dropped) {
      const cut = key.indexOf('\n');
      if (cut < 0) sources.push({ src: key, peerId: null, dropped });
      else peers.push({ src: key.slice(cut + 1), peerId: key.slice(0, cut), dropped });
    }
    this.dropped.clear();
    if (sources.length <= NAMED_SOURCES + 1) return [...peers, ...sources];
    sources.sort((a, b) => b.dropped - a.dropped);
    const rest = sources.slice(NAMED_SOURCES);
    const summed = { src: `${rest.length} other sources`, peerId: null, dropped: rest.reduce((sum, r) => sum + r.dropped, 0) };
    return [...peers, ...sources.slice(0, NAMED_SOURCES), summed];
  }

  private isKnown(pair: string): boolean {
    return this.established.peek(pair) !== undefined || this.recent.peek(pair) !== undefined;
  }

  private remember(pair: string, now: number): void {
    if (this.established.get(pair) !== undefined) return;
    const since = this.recent.get(pair);
    if (since === undefined) this.recent.set(pair, now);
    else if (now - since >= ESTABLISHED_AFTER_MS) {
      this.recent.delete(pair);
      this.established.set(pair, true);
    }
  }

  private count(key: string): void {
    // Bounded like the buckets: a report per second cannot grow past the sources it names.
    if (!this.dropped.has(key) && this.dropped.size >= 4096) return;
    this.dropped.set(key, (this.dropped.get(key) ?? 0) + 1);
  }
}
