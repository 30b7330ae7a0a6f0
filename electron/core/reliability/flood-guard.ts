import { TokenBuckets } from './token-bucket.js';

export interface FloodLimit {
  /** Datagrams per second one source may send, and the burst it may save up. */
  readonly rate: number;
  readonly burst: number;
}

/** Generous for people (and for repair bursts), tiny next to what one flooding process can send. */
export const DEFAULT_FLOOD_LIMIT: FloodLimit = { rate: 500, burst: 2000 };

export interface FloodReport {
  readonly src: string;
  readonly dropped: number;
}

/**
 * Runs first on every datagram, before any decoding: a source over its rate has the excess
 * dropped and counted; reports come out at most once per sweep.
 */
export class FloodGuard {
  private readonly buckets: TokenBuckets;
  private readonly droppedSince = new Map<string, number>();

  constructor(limit: FloodLimit = DEFAULT_FLOOD_LIMIT) {
    this.buckets = new TokenBuckets(limit.rate, limit.burst);
  }

  admit(src: string, now: number): boolean {
    if (this.buckets.take(src, now)) return true;
    this.droppedSince.set(src, (this.droppedSince.get(src) ?? 0) + 1);
    return false;
  }

  /** Sources that had datagrams dropped since the last call. */
  reports(): FloodReport[] {
    const reports = [...this.droppedSince].map(([src, dropped]) => ({ src, dropped }));
    this.droppedSince.clear();
    return reports;
  }
}
