/** Collects the fragments of long messages until all have arrived; drops the ones that never do. */
interface Pending {
  readonly count: number;
  readonly parts: (string | undefined)[];
  readonly datagrams: (Uint8Array | undefined)[];
  received: number;
  bytes: number;
  readonly firstAt: number;
}

export interface Reassembled {
  readonly text: string;
  /** The fragments as they came on the wire, in order: kept to answer history requests verbatim. */
  readonly datagrams: Uint8Array[];
  readonly fragments: number;
  readonly bytes: number;
}

export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  /** Datagram bytes held by all pending messages. */
  private heldBytes = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly maxPending: number,
    private readonly maxBytes = Infinity,
  ) {}

  /** This fragment of this message is already held. */
  has(key: string, index: number): boolean {
    return this.pending.get(key)?.parts[index] !== undefined;
  }

  /** Adds one fragment; returns the whole text once the last missing fragment arrives. */
  add(key: string, index: number, count: number, body: string, datagram: Uint8Array, now: number): Reassembled | null {
    let entry = this.pending.get(key);
    if (entry && entry.count !== count) return null; // a sender cannot change its mind: ignore the liar
    if (!entry) {
      entry = { count, parts: new Array<string | undefined>(count), datagrams: new Array<Uint8Array | undefined>(count), received: 0, bytes: 0, firstAt: now };
      this.pending.set(key, entry);
    }
    if (entry.parts[index] !== undefined) return null;
    entry.parts[index] = body;
    entry.datagrams[index] = datagram;
    entry.received++;
    entry.bytes += datagram.length;
    this.heldBytes += datagram.length;
    if (entry.received < entry.count) {
      this.evictOverflow();
      return null;
    }
    this.drop(key);
    return { text: entry.parts.join(''), datagrams: entry.datagrams as Uint8Array[], fragments: entry.count, bytes: entry.bytes };
  }

  /** Drops messages still incomplete after the timeout; returns how many were dropped. */
  expire(now: number): number {
    let dropped = 0;
    for (const [key, entry] of this.pending) {
      if (now - entry.firstAt < this.timeoutMs) break;
      this.drop(key);
      dropped++;
    }
    return dropped;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Bounded by count and by bytes: the oldest incomplete message goes first. */
  private evictOverflow(): void {
    while (this.pending.size > this.maxPending || this.heldBytes > this.maxBytes) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) return;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.heldBytes -= entry.bytes;
    this.pending.delete(key);
  }
}
