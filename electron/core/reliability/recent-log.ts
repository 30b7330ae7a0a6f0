/** The room's recent chat messages as sent on the wire, so a newcomer's history request can be answered verbatim. */
export interface LoggedMessage {
  readonly key: string;
  /** Its sender: a history answer names the senders' keys. */
  readonly peer: string;
  readonly datagrams: readonly Uint8Array[];
  readonly at: number;
  /** The TTL its sender gave it. */
  readonly ttl: number;
  /** Sent by us (else relayed from another peer). */
  readonly own: boolean;
}

export class RecentLog {
  private readonly entries = new Map<string, LoggedMessage>();

  constructor(
    private readonly maxMessages: number,
    private readonly maxAgeMs: number,
  ) {}

  add(entry: LoggedMessage): void {
    if (this.entries.has(entry.key)) return;
    this.entries.set(entry.key, entry);
    while (this.entries.size > this.maxMessages) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get(key: string): LoggedMessage | undefined {
    return this.entries.get(key);
  }

  /** The newest `max` messages still young enough, oldest first. */
  latest(max: number, now: number): LoggedMessage[] {
    const fresh = [...this.entries.values()].filter((e) => now - e.at <= this.maxAgeMs);
    return fresh.slice(Math.max(0, fresh.length - max));
  }

  get size(): number {
    return this.entries.size;
  }
}
