import type { PeerMeter } from '../../shared/events.js';
import { BoundedMap } from './crypto/bounded-map.js';
import { MAX_PEERS } from './peer-table.js';

export type MeterField = Exclude<keyof PeerMeter, 'peerId'>;

type Counts = { -readonly [K in MeterField]: number };

const empty = (): Counts => ({ received: 0, gaps: 0, repaired: 0, lost: 0, duplicates: 0, reordered: 0, late: 0 });

/**
 * Per-peer meters for a room (the mcjoin view: received, gaps, repaired, lost, duplicates,
 * reordered). Keyed by verified peer id, so bounded: twice the peer table, the least recently
 * counted forgotten first. Reported as the peers that changed, at most once a sweep.
 */
export class PeerMeters {
  private readonly counts = new BoundedMap<string, Counts>(2 * MAX_PEERS);
  private readonly changed = new Set<string>();

  count(peerId: string, field: MeterField, n = 1): void {
    let counts = this.counts.get(peerId);
    if (!counts) {
      counts = empty();
      this.counts.set(peerId, counts);
    }
    counts[field] += n;
    this.changed.add(peerId);
  }

  of(peerId: string): PeerMeter {
    return { peerId, ...(this.counts.peek(peerId) ?? empty()) };
  }

  all(): PeerMeter[] {
    return [...this.counts].map(([peerId, counts]) => ({ peerId, ...counts }));
  }

  /** Meters that changed since the last call. */
  takeChanged(): PeerMeter[] {
    const out = [...this.changed].filter((id) => this.counts.peek(id) !== undefined).map((id) => this.of(id));
    this.changed.clear();
    return out;
  }
}
