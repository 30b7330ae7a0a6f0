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
 * years off (an unset real-time clock) cannot drag the room along.
 */
export const MAX_CLOCK_AHEAD_MS = 24 * 3600_000;
/** Ahead by up to this, a remote stamp moves our clock freely (clocks on a LAN drift by seconds). */
export const FREE_CLOCK_AHEAD_MS = 60_000;
/** A peer's clock reading (from its announcements) counts as a witness this long. */
const WITNESS_MS = 10 * 60_000;
/** A witness heard for this long outvotes newer ones: fresh keys cost nothing to make. */
const WITNESS_ESTABLISHED_MS = 60_000;
const MAX_WITNESSES = 256;

/** A received message's order stamp; `aheadMs` when its sender's clock was too far ahead to adopt. */
export interface ReceivedStamp extends HlcStamp {
  readonly aheadMs?: number;
}

/**
 * Far ahead means someone's clock is wrong, and it may be ours: a laptop an hour slow must not
 * sort its answers before the questions it saw, but one frame stamped a day ahead (an attacker,
 * an unset clock) must not pull every later message of the room a day ahead either. So a stamp
 * more than FREE_CLOCK_AHEAD_MS ahead moves our clock only when most other peers' clocks, read
 * from their announcements (session start + uptime), are about as far ahead too: then we are the
 * one behind. Peers heard for a minute or more vote alone when there are any, so two keys of one
 * attacker, or a thousand fresh ones, cannot outvote the room. Otherwise the message is ordered
 * at its arrival, and marked. Left open: a newcomer that hears only an attacker's keys.
 */
export class HybridClock {
  private l = 0;
  private c = 0;
  /** Per peer: how far its clock was ahead of ours at its last announcement, and when. */
  private readonly witnesses = new Map<string, { aheadMs: number; at: number; since: number }>();

  constructor(private readonly wall: () => number) {}

  /** A peer's clock read now (its announcement's session start + uptime). */
  witness(peer: string, peerNow: number): void {
    const now = this.wall();
    const since = this.witnesses.get(peer)?.since ?? now;
    this.witnesses.delete(peer);
    if (this.witnesses.size >= MAX_WITNESSES) this.witnesses.delete(this.evictable(now));
    this.witnesses.set(peer, { aheadMs: peerNow - now, at: now, since });
  }

  /** The least recently heard newcomer, or the least recently heard witness if all are established. */
  private evictable(now: number): string {
    for (const [peer, seen] of this.witnesses) if (now - seen.since < WITNESS_ESTABLISHED_MS) return peer;
    return this.witnesses.keys().next().value as string;
  }

  private corroborated(aheadMs: number, sender: string | undefined, now: number): boolean {
    const votes = { established: { yes: 0, no: 0 }, newcomers: { yes: 0, no: 0 } };
    for (const [peer, seen] of this.witnesses) {
      if (peer === sender || now - seen.at > WITNESS_MS) continue;
      const tally = now - seen.since >= WITNESS_ESTABLISHED_MS ? votes.established : votes.newcomers;
      if (seen.aheadMs >= aheadMs - FREE_CLOCK_AHEAD_MS) tally.yes++;
      else tally.no++;
    }
    const deciding = votes.established.yes + votes.established.no > 0 ? votes.established : votes.newcomers;
    return deciding.yes > deciding.no;
  }

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

  /** Merges a remote stamp from `sender`; returns the stamp the message is ordered by. */
  receive(remote: HlcStamp, sender?: string): ReceivedStamp {
    const now = this.wall();
    const aheadMs = remote.l - now;
    if (aheadMs > FREE_CLOCK_AHEAD_MS && !this.corroborated(aheadMs, sender, now)) return { ...this.tick(), aheadMs };
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
