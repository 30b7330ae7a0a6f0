import type { Clock, TimerHandle } from '../clock.js';

export interface SyncTiming {
  /** Answers wait a random time in [minDelayMs, maxDelayMs): in a room of 50, the first one answers and the rest stand down. */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** At most one answer per window, whatever the number of requests. */
  readonly minIntervalMs: number;
}

export const DEFAULT_SYNC_TIMING: SyncTiming = { minDelayMs: 20, maxDelayMs: 400, minIntervalMs: 1000 };

/** Late-join answers: jittered, suppressed when another peer answers first, rate-limited. */
export class SyncResponder {
  private readonly pending = new Map<string, TimerHandle>();
  private lastAnswerAt = -Infinity;
  answered = 0;
  suppressed = 0;

  constructor(
    private readonly clock: Clock,
    private readonly answer: (rid: string, max: number) => void,
    private readonly timing: SyncTiming = DEFAULT_SYNC_TIMING,
    private readonly random: () => number = Math.random,
  ) {}

  requested(rid: string, max: number): void {
    if (this.pending.has(rid)) return;
    const delay = this.timing.minDelayMs + this.random() * (this.timing.maxDelayMs - this.timing.minDelayMs);
    this.pending.set(
      rid,
      this.clock.after(delay, () => {
        this.pending.delete(rid);
        const now = this.clock.now();
        if (now - this.lastAnswerAt < this.timing.minIntervalMs) {
          this.suppressed++;
          return;
        }
        this.lastAnswerAt = now;
        this.answered++;
        this.answer(rid, max);
      }),
    );
  }

  /** Someone else answers `rid`: stand down. */
  answeredByOther(rid: string): void {
    const timer = this.pending.get(rid);
    if (!timer) return;
    timer.cancel();
    this.pending.delete(rid);
    this.suppressed++;
  }

  dispose(): void {
    for (const timer of this.pending.values()) timer.cancel();
    this.pending.clear();
  }
}
