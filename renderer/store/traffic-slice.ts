import type { PeerMeter, RoomCounters } from '../../shared/events.js';

/** Per second, over the interval that ended at `at`. */
export interface RateSample {
  readonly at: number;
  readonly datagramsIn: number;
  readonly datagramsOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

export interface TrafficHistory {
  /** The counters the next rates are measured from, and when they arrived. */
  readonly counters: RoomCounters;
  readonly at: number;
  /** The last minute or so, oldest first. */
  readonly samples: readonly RateSample[];
}

/** What the user's Reset saw: counters and meters shown afterwards count from here. */
export interface CountersBaseline {
  readonly at: number;
  readonly counters: RoomCounters;
  readonly meters: Readonly<Record<string, PeerMeter>>;
}
