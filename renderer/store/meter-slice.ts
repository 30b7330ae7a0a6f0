export interface MeterSlice {
  /** For a demo: a line in the log for each burst of duplicate datagrams. Off, duplicates are only counted. */
  readonly showDuplicates: boolean;
}

/** Per room, how many peers that left the meter keeps naming. */
export const MAX_DEPARTED = 256;

export const initialMeterSlice = (): MeterSlice => ({ showDuplicates: false });
