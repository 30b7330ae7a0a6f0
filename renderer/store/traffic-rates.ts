import type { RoomCounters } from '../../shared/events.js';
import type { RateSample, TrafficHistory } from './traffic-slice.js';

/** The graph shows this much; samples a little older are dropped. */
export const RATE_WINDOW_MS = 60_000;
/** The core sends a room's counters at most once a second, and only when they changed. */
export const COUNTERS_INTERVAL_MS = 1_000;
/** Two counters events this close (one batch, a window catching up) are measured as one. */
const MIN_INTERVAL_MS = 200;
const MAX_SAMPLES = 2 * (RATE_WINDOW_MS / COUNTERS_INTERVAL_MS);

export type RateKey = Exclude<keyof RateSample, 'at'>;
export const RATE_KEYS: readonly RateKey[] = ['datagramsIn', 'datagramsOut', 'bytesIn', 'bytesOut'];

/** The room's rates after a counters event that arrived at `now`. */
export function nextTraffic(history: TrafficHistory | undefined, counters: RoomCounters, now: number): TrafficHistory {
  if (!history) return { counters, at: now, samples: [] };
  const elapsed = now - history.at;
  // Kept for the next event, which then measures both changes over a real interval.
  if (elapsed < MIN_INTERVAL_MS) return history;
  // No event during a quiet spell means nothing changed in it: what changed happened within the
  // last interval, not spread over the whole silence.
  const seconds = Math.min(elapsed, COUNTERS_INTERVAL_MS) / 1000;
  // A counter lower than before (the core's room was joined afresh) is a restart, not negative traffic.
  const rate = (key: RateKey): number => Math.max(0, counters[key] - history.counters[key]) / seconds;
  const sample: RateSample = { at: now, datagramsIn: rate('datagramsIn'), datagramsOut: rate('datagramsOut'), bytesIn: rate('bytesIn'), bytesOut: rate('bytesOut') };
  const recent = history.samples.filter((s) => s.at > now - RATE_WINDOW_MS);
  return { counters, at: now, samples: [...recent, sample].slice(-MAX_SAMPLES) };
}

/** The rate now: the last sample while counters keep coming, zero once they stopped (nothing changed). */
export function currentRate(history: TrafficHistory | undefined, key: RateKey, now: number): number {
  const last = history?.samples[history.samples.length - 1];
  return last && now - last.at <= 2 * COUNTERS_INTERVAL_MS ? last[key] : 0;
}

/** One value per second for the last `seconds`, oldest first; a second without a sample had no traffic. */
export function rateSeries(history: TrafficHistory | undefined, key: RateKey, now: number, seconds = RATE_WINDOW_MS / 1000): number[] {
  const series = new Array<number>(seconds).fill(0);
  const start = now - seconds * 1000;
  for (const sample of history?.samples ?? []) {
    const bucket = Math.floor((sample.at - start) / 1000);
    if (bucket >= 0 && bucket < seconds) series[bucket] = Math.max(series[bucket] as number, sample[key]);
  }
  return series;
}
