import type { AnswerBudget } from './answer-budget.js';
import type { SeqRange } from './loss-detector.js';
import { TokenBuckets } from './token-bucket.js';

export interface RepairLimits {
  readonly maxMessages: number;
  readonly maxAgeMs: number;
  /** Repair datagrams per second, and the burst allowed. */
  readonly rate: number;
  readonly burst: number;
  /**
   * One message is resent at most once per this, however many NACKs (from however many keys)
   * name it: a repair is multicast, so one resend serves every receiver that lacks it. Shorter
   * than a receiver's wait between two NACKs (1 s): a NACK that comes a little early (a busy
   * sender took longer over the previous one) must not be held, or a lost repair costs another
   * second and a leaving sender may be gone by then.
   */
  readonly resendHoldMs: number;
}

export const DEFAULT_REPAIR_LIMITS: RepairLimits = { maxMessages: 2048, maxAgeMs: 120_000, rate: 1000, burst: 500, resendHoldMs: 800 };

/**
 * What one NACK can make us send, in bytes: two of the longest messages (8 KiB of text, about
 * 14 KB on the wire each). A NACK is a few hundred bytes and may name up to 32 ranges; without
 * this one NACK for a peer's last 100 messages got 500 datagrams back (1,870 times its size).
 * A genuine receiver with more missing asks again 250 ms later for what is still missing.
 */
export const REPAIR_ANSWER_MAX_BYTES = 32 * 1024;

interface Sent {
  readonly datagrams: readonly Uint8Array[];
  /** The TTL it was sent with: a resend never reaches further than the original. */
  readonly ttl: number;
  readonly at: number;
  lastResentAt: number;
}

/** One message's datagrams to resend, with the TTL they must go out with. */
export interface Resend {
  readonly datagrams: readonly Uint8Array[];
  readonly ttl: number;
}

/** Sender side of loss repair: recent datagrams by seq, bounded by count and age, resent at a bounded rate. */
export class RepairBuffer {
  private readonly sent = new Map<number, Sent>();
  private readonly bucket: TokenBuckets;
  resent = 0;
  /** Datagrams not resent: over the rate, or over the room's answer budget. */
  refused = 0;
  /** NACKs that named more than one answer may carry: the rest waits for the asker's next NACK. */
  overAnswer = 0;

  constructor(private readonly limits: RepairLimits = DEFAULT_REPAIR_LIMITS) {
    this.bucket = new TokenBuckets(limits.rate, limits.burst, 1);
  }

  remember(seq: number, datagrams: readonly Uint8Array[], ttl: number, now: number): void {
    this.sent.set(seq, { datagrams, ttl, at: now, lastResentAt: -Infinity });
    this.prune(now);
  }

  /**
   * The datagrams to resend for one NACK: known, not resent lately, at most `maxBytes` (one
   * message always fits), within the rate and the room's budget.
   */
  repairsFor(ranges: readonly SeqRange[], now: number, budget: AnswerBudget, maxBytes = REPAIR_ANSWER_MAX_BYTES): Resend[] {
    this.prune(now);
    const out: Resend[] = [];
    let answered = 0;
    for (const [first, last] of ranges) {
      for (let seq = first; seq <= last && seq - first < 1024; seq++) {
        const entry = this.sent.get(seq);
        if (!entry || now - entry.lastResentAt < this.limits.resendHoldMs) continue;
        const bytes = entry.datagrams.reduce((sum, d) => sum + d.length, 0);
        if (out.length > 0 && answered + bytes > maxBytes) {
          this.overAnswer += 1;
          return out;
        }
        answered += bytes;
        if (!budget.take(bytes, now) || !entry.datagrams.every(() => this.bucket.take('repair', now))) {
          this.refused += entry.datagrams.length;
          return out;
        }
        entry.lastResentAt = now;
        out.push({ datagrams: entry.datagrams, ttl: entry.ttl });
        this.resent += entry.datagrams.length;
      }
    }
    return out;
  }

  private prune(now: number): void {
    for (const [seq, entry] of this.sent) {
      if (this.sent.size <= this.limits.maxMessages && now - entry.at <= this.limits.maxAgeMs) break;
      this.sent.delete(seq);
    }
  }
}
