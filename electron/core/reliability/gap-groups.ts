import type { GapReport } from '../../../shared/events.js';

/** How a missing message stopped being missing. */
export type GapClose = 'repaired' | 'reordered' | 'lost' | 'outOfScope';

/** Per-peer tallies for the meter (peer-meter.ts). */
export type LossTally = (peer: string, what: 'gaps' | 'repaired' | 'reordered' | 'lost' | 'late', n: number) => void;

/** The messages of one sender found missing at once: one marker in the log, updated in place. */
export class GapGroup {
  open: number;
  repaired = 0;
  reordered = 0;
  lost = 0;
  outOfScope = 0;
  /** NACKs that named it, ours and others' we heard. */
  nacks = 0;
  /** Reported at least once: it became loss (asked for, or given up), not mere reordering. */
  shown = false;

  constructor(
    readonly id: string,
    readonly peer: string,
    readonly sess: string,
    readonly nick: string,
    readonly first: number,
    readonly last: number,
    readonly count: number,
    /** The order key of the message whose arrival showed the gap: the marker sits just before it. */
    readonly order: string,
  ) {
    this.open = count;
  }

  report(): GapReport {
    const came = this.repaired + this.reordered;
    const state = this.open > 0 ? 'asking' : this.lost > 0 ? (came === 0 ? 'lost' : 'partly') : came === 0 ? 'outOfScope' : 'repaired';
    return {
      id: this.id,
      peerId: this.peer,
      nick: this.nick,
      first: this.first,
      last: this.last,
      count: this.count,
      repaired: this.repaired + this.reordered,
      lost: this.lost,
      outOfScope: this.outOfScope,
      nacks: this.nacks,
      state,
      order: this.order,
    };
  }
}

/**
 * Loss where it happens: each run of missing seqs found by one arrival is a group, reported when
 * it is first asked for (a gap filled by reordering before any NACK is not loss, and not shown)
 * and again whenever it changes, until every member is repaired or lost. Held only by the gaps
 * that are open and by the reports not taken yet, so bounded by the loss detector's own bounds.
 */
export class GapGroups {
  private readonly dirty = new Set<GapGroup>();
  private next = 0;

  constructor(private readonly tally: LossTally) {}

  open(peer: string, sess: string, nick: string, first: number, last: number, count: number, order: string): GapGroup {
    this.tally(peer, 'gaps', count);
    return new GapGroup(`${sess}:${(this.next++).toString(36)}`, peer, sess, nick, first, last, count, order);
  }

  asked(group: GapGroup): void {
    group.nacks++;
    group.shown = true;
    this.dirty.add(group);
  }

  closed(group: GapGroup, how: GapClose): void {
    group.open--;
    group[how]++;
    if (how !== 'outOfScope') this.tally(group.peer, how, 1);
    if (how === 'lost') group.shown = true;
    if (group.shown) this.dirty.add(group);
  }

  /** Reports of the groups that changed since the last call. */
  take(): GapReport[] {
    if (this.dirty.size === 0) return [];
    const reports = [...this.dirty].map((g) => g.report());
    this.dirty.clear();
    return reports;
  }
}
