import type { PeerMeter } from '../../shared/events.js';

export interface MeterSlice {
  /** Per room, per peer id: the core's meters (what arrived from each peer and what repair did). */
  readonly meters: Readonly<Record<string, Readonly<Record<string, PeerMeter>>>>;
  /** For a demo: a line in the log for each burst of duplicate datagrams. Off, duplicates are only counted. */
  readonly showDuplicates: boolean;
}

export const initialMeterSlice = (): MeterSlice => ({ meters: {}, showDuplicates: false });
