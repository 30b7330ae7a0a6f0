import { median, percentile } from '../lib/stats.js';

/** What page-probes.js stopFrames() returns. */
export interface FrameRecord {
  /** requestAnimationFrame timestamps: each frame's begin time (vsync-aligned), page clock ms. */
  readonly stamps: readonly number[];
  readonly callbackAt: readonly number[];
  /** Long animation frames (over 50 ms) reported by PerformanceObserver, when supported. */
  readonly loaf: readonly { duration: number; blockingDuration: number; renderStart: number }[];
}

export function deltas(stamps: readonly number[]): number[] {
  return stamps.slice(1).map((s, i) => s - (stamps[i] ?? s));
}

/**
 * The display's refresh interval, from an idle page's frames: the mean of the deltas near the
 * median (one late frame must not stretch it). rAF timestamps are coarsened to 0.1 ms, so single
 * deltas read 16.6, 16.7 or 16.8 at 60 Hz; the mean over a second recovers 16.67.
 */
export function refreshInterval(idleStamps: readonly number[]): number {
  const d = deltas(idleStamps);
  const m = median(d);
  const near = d.filter((x) => x < m * 1.5);
  return near.length > 0 ? near.reduce((a, b) => a + b, 0) / near.length : Number.NaN;
}

export interface FrameStats {
  readonly frames: number;
  /** p95 of the frame times on the refresh grid: whole refresh intervals between frames. */
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly rawP50: number;
  readonly rawP95: number;
  readonly rawP99: number;
  /** Refresh intervals that passed without a frame, as a share of all intervals. */
  readonly droppedPct: number;
  readonly longFrames: number;
  readonly longFramesBlockingMs: number;
}

/**
 * rAF deltas in a page that keeps up are one refresh interval each; a frame that missed its
 * deadline makes a delta of two or more. Each delta is put on that grid (rounded to whole
 * intervals) before taking percentiles, so the 0.1 ms coarsening of the timestamps does not turn
 * an on-time 16.67 ms frame into a "16.8 ms" one; the raw deltas are reported too.
 */
export function frameStats(record: FrameRecord, refreshMs: number): FrameStats {
  const raw = deltas(record.stamps);
  const intervals = raw.map((d) => Math.max(1, Math.round(d / refreshMs)));
  const snapped = intervals.map((n) => n * refreshMs);
  const total = intervals.reduce((a, b) => a + b, 0);
  return {
    frames: raw.length,
    p95: percentile(snapped, 95),
    p99: percentile(snapped, 99),
    max: Math.max(...raw),
    rawP50: percentile(raw, 50),
    rawP95: percentile(raw, 95),
    rawP99: percentile(raw, 99),
    droppedPct: total > 0 ? (100 * (total - intervals.length)) / total : Number.NaN,
    longFrames: record.loaf.length,
    longFramesBlockingMs: record.loaf.reduce((a, l) => a + l.blockingDuration, 0),
  };
}
