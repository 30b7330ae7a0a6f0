import { createHash } from 'node:crypto';

/**
 * Every message key a room's history holds, as 48-bit fingerprints in a sorted typed array: the
 * ledger of last resort for "is this new?" after a restart, when the in-memory filters only know
 * the newest messages. 8 bytes per message (8 MB for a million); a false "already stored" needs
 * two keys agreeing in 48 bits of SHA-256, about one in 280 billion per lookup at a million.
 */
export class StoredKeys {
  private sorted = new Float64Array(0);
  private pending: number[] = [];

  /** Adds keys while the history is read; `seal` makes them searchable. */
  add(key: string): void {
    this.pending.push(fingerprint(key));
  }

  seal(): void {
    const all = new Float64Array(this.sorted.length + this.pending.length);
    all.set(this.sorted);
    all.set(this.pending, this.sorted.length);
    this.pending = [];
    this.sorted = all.sort();
  }

  get size(): number {
    return this.sorted.length;
  }

  has(key: string): boolean {
    const want = fingerprint(key);
    let low = 0;
    let high = this.sorted.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.sorted[mid] as number;
      if (value === want) return true;
      if (value < want) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  }
}

function fingerprint(key: string): number {
  return createHash('sha256').update(key).digest().readUIntBE(0, 6);
}
