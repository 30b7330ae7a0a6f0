import type { RoomCounters } from '../../shared/events.js';

export interface CountersSlice {
  readonly counters: Readonly<Record<string, RoomCounters>>;
}

export const initialCountersSlice = (): CountersSlice => ({ counters: {} });
