import { ChatError } from '../../shared/errors.js';
import type { RefusalSource } from '../../shared/events.js';
import type { RefusedBy } from './frame-gate.js';

/** Encrypted traffic we cannot read is said at most this often per kind. */
const NOTICE_INTERVAL_MS = 60_000;
/** Sources remembered per kind between two notices (keyed by what arrives, so bounded). */
const MAX_SOURCES = 64;
/** Sources a notice names; the rest are summed. */
export const NAMED_SOURCES = 3;

type Explained = Extract<RefusedBy, 'wrongKey' | 'encryptedNoKey' | 'plainInPrivate'>;

export interface RefusalNotice {
  readonly error: ChatError;
  /** Who sent the datagrams since the last notice, busiest first: ip:port as seen (not an identity) and how many. */
  readonly sources: readonly RefusalSource[];
  /** Datagrams from the other sources. */
  readonly more: number;
}

/**
 * Encrypted traffic we cannot read is not silence: the user is told why, once a minute at most
 * per kind, and from which addresses the datagrams came since the last notice (a student running
 * the lecture's snippet in a passphrase room, or a peer with another passphrase).
 */
export class RefusalNotices {
  private readonly lastNoticeAt = new Map<Explained, number>();
  private readonly sources = new Map<Explained, Map<string, number>>();
  private readonly unlisted = new Map<Explained, number>();

  constructor(private readonly roomName: string) {}

  /** A refused datagram; returns the notice it is time to give, if any. */
  refused(by: RefusedBy, src: string, now: number): RefusalNotice | null {
    if (by !== 'wrongKey' && by !== 'encryptedNoKey' && by !== 'plainInPrivate') return null;
    let counts = this.sources.get(by);
    if (!counts) this.sources.set(by, (counts = new Map<string, number>()));
    const count = counts.get(src);
    if (count !== undefined || counts.size < MAX_SOURCES) counts.set(src, (count ?? 0) + 1);
    else this.unlisted.set(by, (this.unlisted.get(by) ?? 0) + 1);
    if (now - (this.lastNoticeAt.get(by) ?? -Infinity) < NOTICE_INTERVAL_MS) return null;
    this.lastNoticeAt.set(by, now);
    const all = [...counts].map(([source, n]) => ({ src: source, count: n })).sort((a, b) => b.count - a.count);
    const sources = all.slice(0, NAMED_SOURCES);
    const more = all.slice(NAMED_SOURCES).reduce((sum, s) => sum + s.count, this.unlisted.get(by) ?? 0);
    counts.clear();
    this.unlisted.delete(by);
    return { error: this.errorFor(by), sources, more };
  }

  private errorFor(by: Explained): ChatError {
    const name = this.roomName;
    if (by === 'wrongKey') return new ChatError('WRONG_PASSPHRASE', `Messages in room ${name} are encrypted with a different passphrase than yours. Check the passphrase with someone in the room.`);
    if (by === 'encryptedNoKey') return new ChatError('ENCRYPTION_MISMATCH', `Someone in room ${name} sends encrypted messages. Join the room with its passphrase to read them.`);
    return new ChatError('ENCRYPTION_MISMATCH', `Unencrypted datagrams arrive in passphrase room ${name}; they are not shown (a peer without the passphrase, or the lecture's snippets).`);
  }
}
