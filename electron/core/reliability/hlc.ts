/**
 * Hybrid logical clock (Kulkarni et al.): wall-clock milliseconds plus a counter, advanced by
 * every message seen, so the room agrees on an order that respects causality even when one
 * peer's wall clock is wrong.
 */
export interface HlcStamp {
  readonly l: number;
  readonly c: number;
}

/**
 * A remote stamp further ahead of our wall clock than this is clamped: a peer whose clock is
 * years off (an unset real-time clock) cannot drag the room along. Anything closer is adopted,
 * because the peer that is off may just as well be us: a wrong time zone or a laptop an hour
 * behind must not sort its answers before the questions it saw.
 */
export const MAX_CLOCK_AHEAD_MS = 24 * 3600_000;

export class HybridClock {
  private l = 0;
  private c = 0;

  constructor(private readonly wall: () => number) {}

  /** A stamp for a local event (sending a message, receiving a raw datagram). */
  tick(): HlcStamp {
    const now = this.wall();
    if (now > this.l) {
      this.l = now;
      this.c = 0;
    } else {
      this.c++;
    }
    return { l: this.l, c: this.c };
  }

  /** Merges a remote stamp; returns the stamp the message is ordered by (clamped if from the far future). */
  receive(remote: HlcStamp): HlcStamp {
    const now = this.wall();
    const clamped = remote.l > now + MAX_CLOCK_AHEAD_MS ? { l: now + MAX_CLOCK_AHEAD_MS, c: remote.c } : remote;
    const l = Math.max(this.l, clamped.l, now);
    if (l === this.l && l === clamped.l) this.c = Math.max(this.c, clamped.c) + 1;
    else if (l === this.l) this.c++;
    else if (l === clamped.l) this.c = clamped.c + 1;
    else this.c = 0;
    this.l = l;
    return clamped;
  }
}

/** A string that sorts like (l, c, peer): the order messages are shown in. */
export function orderKey(stamp: HlcStamp, peer: string): string {
  return `${String(stamp.l).padStart(15, '0')}.${String(stamp.c).padStart(6, '0')}.${peer}`;
}
