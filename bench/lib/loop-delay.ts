/**
 * Event-loop delay as Electron's main process would suffer it: perf_hooks.monitorEventLoopDelay
 * with a 1 ms timer. In Node 20 the histogram records the time between two ticks of that timer,
 * so an idle loop reads ~1 ms; the delay is that minus the resolution. 1 ms (not the default
 * 10 ms) so stalls of a few ms are seen at all and a short window still has hundreds of samples;
 * the timer's own cost (1,000 wake-ups/s) is negligible next to the traffic measured.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export const LOOP_DELAY_RESOLUTION_MS = 1;

export interface LoopDelay {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly samples: number;
}

export class LoopDelayMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });

  start(): void {
    this.histogram.reset();
    this.histogram.enable();
  }

  /** Delays since start() (the histogram keeps running until stop()). */
  read(): LoopDelay {
    const h = this.histogram;
    const delay = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_DELAY_RESOLUTION_MS);
    return { p50Ms: delay(h.percentile(50)), p99Ms: delay(h.percentile(99)), maxMs: delay(h.max), samples: h.count };
  }

  stop(): void {
    this.histogram.disable();
  }
}
