import type { PeerInfo, PeerMeter } from '../../shared/events.js';

export interface MeterSlice {
  /** Per room, per peer id: the core's meters (what arrived from each peer and what repair did). */
  readonly meters: Readonly<Record<string, Readonly<Record<string, PeerMeter>>>>;
  /** For a demo: a line in the log for each burst of duplicate datagrams. Off, duplicates are only counted. */
  readonly showDuplicates: boolean;
  /** Per room, peers that left or timed out, as last heard: the meter still names them. At most MAX_DEPARTED per room. */
  readonly departed: Readonly<Record<string, Readonly<Record<string, PeerInfo>>>>;
}

export const MAX_DEPARTED = 256;

export const initialMeterSlice = (): MeterSlice => ({ meters: {}, showDuplicates: false, departed: {} });
