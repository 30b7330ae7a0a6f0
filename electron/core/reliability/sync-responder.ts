import type { Clock, TimerHandle } from '../clock.js';

/** Requests held at once; more in one jitter window add nothing (they share one answer). */
const MAX_PENDING = 64;
/**
 * A class does not join in the same tenth of a second: ten laptops start over 2-4 s. A request
 * that comes this soon after the room's last answer (ours or another's) waits for the rest of
 * this time, so the late ones share one answer: 10 joins gave 10 answers at 5 peers, 23-34 at
 * 30 (scale lab), each answer up to 256 KiB.
 */
export const COALESCE_MS = 2_000;

export interface SyncTiming {
  /** Answers wait a random time in [minDelayMs, maxDelayMs): in a room of 50, the first one answers and the rest stand down. */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * At most one answer per window, whatever the number of requests, request ids, keys or
   * sources: everyone who asked before it goes out shares it (it is multicast).
   */
  readonly minIntervalMs: number;
}

/**
 * One answer per 30 s: a class joining together gets one, and a peer asked every second by
 * someone (who need not be new) sends at most 256 KiB per 30 s instead of 500 messages a second.
 */
export const DEFAULT_SYNC_TIMING: SyncTiming = { minDelayMs: 20, maxDelayMs: 400, minIntervalMs: 30_000 };

/** Late-join answers: jittered, suppressed when another peer answers first, rate-limited, shared. */
export class SyncResponder {
  private readonly pending = new Map<string, TimerHandle>();
  private readonly pendingMax = new Map<string, number>();
  private lastAnswerAt = -Infinity;
  /** When the room last answered, by us or by another peer. */
  private roomAnsweredAt = -Infinity;
  answered = 0;
  suppressed = 0;
  /** Answers heard from others so far: a timer that fired checks it again after reading the socket. */
  private othersAnswered = 0;

  constructor(
    private readonly clock: Clock,
    private readonly answer: (rid: string, max: number) => void,
    private readonly timing: SyncTiming = DEFAULT_SYNC_TIMING,
    private readonly random: () => number = Math.random,
  ) {}

  requested(rid: string, max: number): void {
    if (this.pending.has(rid)) return;
    // Inside the window after our last answer nothing is scheduled: no timer per request.
    if (this.clock.now() - this.lastAnswerAt < this.timing.minIntervalMs) {
      this.suppressed++;
      return;
    }
    // Bounded: requests in one jitter window share one answer anyway.
    if (this.pending.size >= MAX_PENDING) return;
    const sinceRoomAnswer = this.clock.now() - this.roomAnsweredAt;
    const coalesce = sinceRoomAnswer < COALESCE_MS ? COALESCE_MS - sinceRoomAnswer : 0;
    const delay = coalesce + this.timing.minDelayMs + this.random() * (this.timing.maxDelayMs - this.timing.minDelayMs);
    this.pendingMax.set(rid, max);
    this.pending.set(
      rid,
      this.clock.after(delay, () => {
        this.pending.delete(rid);
        // One more turn of the event loop before answering: a process that got the CPU late
        // runs its expired timer before it reads its socket, where another peer's `hist` may
        // already wait. At 30 peers on 2 cores, while 10 newcomers started, 9 peers answered.
        const heard = this.othersAnswered;
        this.clock.after(0, () => this.answerNow(rid, max, heard));
      }),
    );
  }

  private answerNow(rid: string, max: number, othersAnsweredBefore: number): void {
    const now = this.clock.now();
    if (this.othersAnswered !== othersAnsweredBefore || now - this.lastAnswerAt < this.timing.minIntervalMs) {
      this.suppressed++;
      return;
    }
    this.lastAnswerAt = now;
    this.roomAnsweredAt = now;
    this.answered++;
    // This answer serves everyone who asked meanwhile: the largest request, once.
    const wanted = Math.max(max, ...[...this.pendingMax.values()]);
    this.dispose();
    this.answer(rid, wanted);
  }

  /**
   * Someone else answers: stand down for every request we hold (their answer is multicast). Not
   * a reason to stay silent later: a forged `hist` must not silence the room's history.
   */
  answeredByOther(rid: string): void {
    this.roomAnsweredAt = this.clock.now();
    this.othersAnswered++;
    if (this.pending.size === 0) return;
    this.suppressed += this.pending.has(rid) ? 1 : 0;
    this.dispose();
  }

  dispose(): void {
    for (const timer of this.pending.values()) timer.cancel();
    this.pending.clear();
    this.pendingMax.clear();
  }
}
