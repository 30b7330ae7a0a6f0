import { MAX_SCOPE_SKIPS } from '../../../shared/protocol/frame.js';

/** [first seq, last seq, ttl] */
export type ScopeRun = [first: number, last: number, ttl: number];

/** Runs kept: a room that changes its TTL more often than this only loses the oldest notices. */
const MAX_RUNS = 64;
/** Seqs further back than this are no longer told about (a receiver gave up on them long ago). */
const WINDOW = 4096;

/**
 * The sender's memory of which TTL each recent message went out with, as runs of equal TTL, so
 * every frame can tell receivers which of the seqs before it had a narrower scope than itself.
 * One sequence serves every TTL: a receiver one router away sees seq 4 (TTL 32), never seq 5
 * (TTL 1), then seq 6 (TTL 32) saying "5 was TTL 1", and does not report 5 as lost.
 */
export class ScopeLedger {
  private readonly runs: ScopeRun[] = [];

  record(seq: number, ttl: number): void {
    const last = this.runs[this.runs.length - 1];
    if (last && last[2] === ttl && last[1] + 1 === seq) last[1] = seq;
    else this.runs.push([seq, seq, ttl]);
    while (this.runs.length > MAX_RUNS || (this.runs[0] && seq - this.runs[0][1] > WINDOW)) this.runs.shift();
  }

  /** Runs sent with a TTL lower than `ttl`, newest first, at most MAX_SCOPE_SKIPS; undefined when none. */
  narrowerThan(ttl: number): ScopeRun[] | undefined {
    let out: ScopeRun[] | undefined;
    for (let i = this.runs.length - 1; i >= 0; i--) {
      const run = this.runs[i] as ScopeRun;
      if (run[2] >= ttl) continue;
      (out ??= []).push([run[0], run[1], run[2]]);
      if (out.length >= MAX_SCOPE_SKIPS) break;
    }
    return out;
  }
}
