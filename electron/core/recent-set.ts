/**
 * Keys seen within the last `windowMs`, bounded in size: the duplicate filter. Insertion order
 * is time order (one window per set), so expiry only ever looks at the oldest entries.
 */
export class RecentSet {
  private readonly entries = new Map<string, number>();
  /** When the oldest entry expires: until then a check walks nothing (it runs per datagram). */
  private oldestExpires = Infinity;

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
  ) {}

  /** True when `key` was already seen inside the window; records it otherwise. */
  checkAndAdd(key: string, now: number): boolean {
    if (now >= this.oldestExpires) this.prune(now);
    if (this.entries.has(key)) return true;
    if (this.entries.size === 0) this.oldestExpires = now + this.windowMs;
    this.entries.set(key, now + this.windowMs);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
      this.oldestExpires = -Infinity; // the next check finds the new oldest
    }
    return false;
  }

  /** Whether `key` is in the window, without recording it. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(now: number): void {
    this.oldestExpires = Infinity;
    for (const [key, expires] of this.entries) {
      if (expires > now) {
        this.oldestExpires = expires;
        break;
      }
      this.entries.delete(key);
    }
  }
}
