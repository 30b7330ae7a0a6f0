import { RecentSet } from './recent-set.js';

/** Same datagram via two interfaces arrives within microseconds; a resend by a person does not. */
const RAW_DUPLICATE_WINDOW_MS = 250;
const RAW_DUPLICATE_MAX = 10_000;
/** Message ids are remembered this long, so history answers and late repairs are shown once. */
const ID_WINDOW_MS = 60 * 60_000;
const ID_MAX = 100_000;

/** What the ledger asks of the rest of the room: the loss detector's and the history's memory. */
export interface LedgerSources {
  /** This seq of this sender session already arrived or was settled (loss-detector.ts). */
  alreadyHad(peer: string, sess: string, seq: number): boolean;
  /** The room's history held this message when it opened (read in the background). */
  wasStored(key: string): boolean;
  /** A fragment of this message with this index is held by reassembly. */
  holdsFragment(key: string, index: number): boolean;
}

export interface ChatIdentity {
  readonly key: string;
  readonly peer: string;
  readonly sess?: string | undefined;
  readonly seq: number;
  /** [index, count] of a fragment; absent for a one-datagram message. */
  readonly frag?: readonly [number, number] | undefined;
}

/**
 * The one answer to "is this new?". In the order it is asked: the sender session's sequence
 * (what arrived stays known however old, so a replay is never shown again while we follow the
 * session), the id filter (an hour or 100,000 ids), the fragment in reassembly, and last the
 * history on disk (after a restart the only one that knows older messages). A message counts as
 * seen once it is whole: until then its fragments are told apart by reassembly, so one whose
 * reassembly was evicted can still be completed by a later resend.
 */
export class MessageLedger {
  private readonly ids = new RecentSet(ID_WINDOW_MS, ID_MAX);
  private readonly raw = new RecentSet(RAW_DUPLICATE_WINDOW_MS, RAW_DUPLICATE_MAX);

  constructor(private readonly sources: LedgerSources) {}

  /** True if this chat datagram adds nothing; a one-datagram message is recorded as seen. */
  knownChat(message: ChatIdentity, now: number): boolean {
    const { key, peer, sess, seq, frag } = message;
    if (sess !== undefined && this.sources.alreadyHad(peer, sess, seq)) return true;
    const inMemory = frag ? this.ids.has(key) || this.sources.holdsFragment(key, frag[0]) : this.ids.checkAndAdd(key, now);
    return inMemory || this.sources.wasStored(key);
  }

  /** A long message became whole: from now on it is seen. */
  completed(key: string, now: number): void {
    this.ids.checkAndAdd(key, now);
  }

  /** A stored message restored at open: the newest are known at once, before the history is read. */
  restored(key: string, now: number): void {
    this.ids.checkAndAdd(key, now);
  }

  /** True if this raw text from this source was just seen (the same datagram via two interfaces). */
  knownRaw(src: string, text: string, now: number): boolean {
    return this.raw.checkAndAdd(`${src}\n${text}`, now);
  }
}
