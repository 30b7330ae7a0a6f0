/**
 * What a room may send in answer to others (repairs and history answers), in bytes, whatever
 * the number of requests, request ids, keys or sources: a token bucket of `burstBytes` that
 * refills at `bytesPerSecond`. A request costs the asker a few hundred bytes; without this, one
 * signed `sync` a second made a peer holding 500 long messages send 12,469 times that.
 */
export interface AnswerLimits {
  readonly burstBytes: number;
  readonly bytesPerSecond: number;
}

/** 1 MiB per 10 s: a full history answer (256 KiB) and repairs for heavy loss fit; a flood of requests does not. */
export const DEFAULT_ANSWER_LIMITS: AnswerLimits = { burstBytes: 1024 * 1024, bytesPerSecond: (1024 * 1024) / 10 };

export class AnswerBudget {
  private tokens: number;
  private at: number;
  /** Bytes not sent because the budget was spent. */
  refusedBytes = 0;

  constructor(
    now: number,
    private readonly limits: AnswerLimits = DEFAULT_ANSWER_LIMITS,
  ) {
    this.tokens = limits.burstBytes;
    this.at = now;
  }

  /** Takes `bytes` if the budget has them (all or nothing). */
  take(bytes: number, now: number): boolean {
    this.refill(now);
    if (bytes > this.tokens) {
      this.refusedBytes += bytes;
      return false;
    }
    this.tokens -= bytes;
    return true;
  }

  /** What could be sent now. */
  available(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  private refill(now: number): void {
    if (now > this.at) this.tokens = Math.min(this.limits.burstBytes, this.tokens + ((now - this.at) * this.limits.bytesPerSecond) / 1000);
    this.at = Math.max(this.at, now);
  }
}
