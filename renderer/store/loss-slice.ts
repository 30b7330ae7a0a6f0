import type { MarkerRef } from './loss-markers.js';

export interface LossSlice {
  /**
   * Per room, its loss markers by the core's gap id, oldest first: where each one is in the log,
   * so a report for the same gap updates it in place. At most MAX_MARKERS_PER_ROOM per room.
   */
  readonly markers: Readonly<Record<string, Readonly<Record<string, MarkerRef>>>>;
}

export const initialLossSlice = (): LossSlice => ({ markers: {} });
