import type { PeerMeter, RoomCounters } from '../../shared/events.js';

/**
 * Reset without asking the core: the core's counts stay whole (mcchat and the history use them),
 * the window shows what changed since the user's Reset.
 */

/** Counted since `base`; never below zero (a room joined afresh starts its counters again). */
export function countersSince(counters: RoomCounters, base: RoomCounters | undefined): RoomCounters {
  if (!base) return counters;
  const out = { ...counters };
  for (const key of Object.keys(out) as (keyof RoomCounters)[]) out[key] = Math.max(0, counters[key] - (base[key] ?? 0));
  return out;
}

export function meterSince(meter: PeerMeter, base: PeerMeter | undefined): PeerMeter {
  if (!base) return meter;
  const since = (key: Exclude<keyof PeerMeter, 'peerId'>): number => Math.max(0, meter[key] - base[key]);
  return {
    peerId: meter.peerId,
    received: since('received'),
    gaps: since('gaps'),
    repaired: since('repaired'),
    lost: since('lost'),
    duplicates: since('duplicates'),
    reordered: since('reordered'),
    late: since('late'),
  };
}
