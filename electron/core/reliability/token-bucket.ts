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

  /** Forgets sources that have refilled completely: they are not flooding. */
  private evictFull(now: number): void {
    for (const [source, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) * this.rate) / 1000 >= this.burst) this.buckets.delete(source);
    }
    if (this.buckets.size >= this.maxSources) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}
