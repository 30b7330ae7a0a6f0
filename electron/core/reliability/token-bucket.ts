/** Buckets looked at for eviction when the table is full. */
const EVICTION_SCAN = 64;

/** Per-source rate limit: `rate` tokens a second, at most `burst` saved up. O(1) per check. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly maxSources = 4096,
  ) {}

  /** Takes a token for `source`; false when it is over its rate. */
  take(source: string, now: number): boolean {
    let bucket = this.buckets.get(source);
    if (!bucket) {
      if (this.buckets.size >= this.maxSources) this.evictFull(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(source, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.rate) / 1000);
      bucket.at = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens--;
    return true;
  }

  /**
   * Forgets sources that have refilled completely (they are not flooding) among the oldest few,
   * else the oldest: a constant cost per new source, where walking every bucket cost 4,096
   * steps per new source in a flood of fresh ones.
   */
  private evictFull(now: number): void {
    let looked = 0;
    for (const [source, bucket] of this.buckets) {
      if (++looked > EVICTION_SCAN) break;
      if (bucket.tokens + ((now - bucket.at) * this.rate) / 1000 >= this.burst) this.buckets.delete(source);
    }
    if (this.buckets.size >= this.maxSources) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}
