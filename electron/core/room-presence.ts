import type { CoreEvent, PeerInfo } from '../../shared/events.js';
import type { Clock, TimerHandle } from './clock.js';
import { BoundedMap } from './crypto/bounded-map.js';
import type { TrustStore } from './crypto/trust-store.js';
import { MAX_PEERS, PeerTable, type PeerChange, type Sighting } from './peer-table.js';
import { announceIntervalMs, greetingSpreadMs, nextAnnounceDelayMs, TYPICAL_HELLO_BYTES } from './presence-interval.js';

/**
 * ...and at most one greeting per this: a burst of joins (a class arriving, or a flood of
 * invented identities) costs one announcement a second, not twenty.
 */
const GREETING_MIN_INTERVAL_MS = 1_000;
/** A newcomer's follow-ups: this many, each this long after the greetings should have arrived. */
const FOLLOW_UPS = 2;
const FOLLOW_UP_MARGIN_MS = 1_000;

export interface PresenceDeps {
  readonly roomId: string;
  readonly clock: Clock;
  readonly trust: TrustStore | null;
  readonly timeoutMs: number;
  /** The base announce interval; a big room stretches it (presence-interval.ts). */
  readonly intervalMs: number;
  readonly emit: (event: CoreEvent) => void;
  /** Only a member greets newcomers (a passive listener or a one-shot sender is not in the room). */
  readonly present: () => boolean;
  /** Sends our announcement now; `seen`, as a newcomer's follow-up: how many peers we list. */
  readonly announce: (seen?: number) => void;
  /** A peer left: its gaps will never be repaired. */
  readonly peerLeft: (peerId: string) => void;
}

/**
 * Who is in a room: the peer table (hello, bye, timeouts), what the trust store says of each
 * (verified, impersonating a known nickname), flood flags, and the greeting a newcomer gets.
 * Everything it is told has passed the frame gate: the peer id is the verified key's.
 */
export class RoomPresence {
  private readonly table: PeerTable;
  /** Keyed by what arrives, so bounded: a look-alike forgotten here is only reported again. */
  private readonly impersonationsReported = new BoundedMap<string, true>(4 * MAX_PEERS);
  private greeting: TimerHandle | null = null;
  private lastGreetingAt = -Infinity;
  private announcing: TimerHandle | null = null;
  private followUp: TimerHandle | null = null;
  private helloBytes = TYPICAL_HELLO_BYTES;

  constructor(private readonly deps: PresenceDeps) {
    this.table = new PeerTable(deps.timeoutMs, deps.intervalMs);
  }

  /** Announces now and again, each time after the room's current interval (jittered). */
  startAnnouncing(): void {
    this.announcing?.cancel();
    this.announcing = this.deps.clock.after(nextAnnounceDelayMs(this.announceIntervalMs()), () => {
      this.deps.announce();
      this.startAnnouncing();
    });
  }

  stopAnnouncing(): void {
    this.announcing?.cancel();
    this.announcing = null;
    this.followUp?.cancel();
    this.followUp = null;
  }

  /**
   * A newcomer's peer list must not wait for the next periodic hello (up to a minute in a big
   * room) when a greeting was lost: with 10 % loss and 29 members, 95 % of newcomers missed one
   * (scale lab). Twice, once the greetings should be in, we say how many peers we list; members
   * that list more greet again (at most once a second each, as any greeting).
   */
  followUpAfterJoining(): void {
    this.followUp?.cancel();
    this.scheduleFollowUp(FOLLOW_UPS);
  }

  private scheduleFollowUp(left: number): void {
    const wait = greetingSpreadMs(this.table.size + 1, this.helloBytes) + FOLLOW_UP_MARGIN_MS;
    this.followUp = this.deps.clock.after(wait, () => {
      this.followUp = null;
      this.deps.announce(this.table.size);
      if (left > 1) this.scheduleFollowUp(left - 1);
    });
  }

  /** Our announce interval now: what our hello says, so peers time us out by it. */
  announceIntervalMs(): number {
    return announceIntervalMs(this.table.size + 1, this.helloBytes, this.deps.intervalMs);
  }

  /** The size of the hello we send, which the interval is computed from. */
  sentHello(bytes: number): void {
    this.helloBytes = bytes;
  }

  /** `seen`: a newcomer's follow-up saying how many peers it lists; fewer than we do, and it lacks someone's greeting. */
  heardHello(sighting: Omit<Sighting, 'verified' | 'impersonates'>, now: number, seen?: number): void {
    this.changed(this.table.see(this.withTrust(sighting, now), now));
    if (seen !== undefined && seen < this.table.size) this.greetNewcomer();
  }

  heardBye(peerId: string): void {
    this.changed(this.table.bye(peerId));
  }

  /** A live chat message says its sender is here; the trust store is asked only when the peer or its nickname is new (hot path). */
  heardChat(peerId: string, nick: string, address: string, now: number): void {
    const base = { peerId, nick, address };
    this.changed(this.table.see(this.table.nickOf(peerId) === nick ? base : this.withTrust(base, now), now));
  }

  setVerified(peerId: string, verified: boolean): void {
    this.changed(this.table.setVerified(peerId, verified));
  }

  /** Peers whose datagrams the room is dropping (over their allowance) are flagged, the others not. */
  flagFlooding(flooding: ReadonlySet<string>): void {
    for (const peer of this.table.list()) this.changed(this.table.flag(peer.peerId, flooding.has(peer.peerId)));
  }

  expire(now: number): void {
    for (const change of this.table.expire(now)) this.changed(change);
  }

  nickOf(peerId: string): string | null {
    return this.table.nickOf(peerId);
  }

  list(): PeerInfo[] {
    return this.table.list();
  }

  close(): void {
    this.greeting?.cancel();
    this.greeting = null;
    this.stopAnnouncing();
    this.table.clear();
  }

  private withTrust(base: Sighting, now: number): Sighting {
    const trust = this.deps.trust?.see(base.peerId, base.nick, now);
    return trust ? { ...base, verified: trust.verified, impersonates: trust.impersonates } : base;
  }

  private changed(change: PeerChange | null): void {
    if (!change) return;
    const { roomId, emit } = this.deps;
    if (change.kind === 'left') {
      this.deps.peerLeft(change.peer.peerId);
      emit({ type: 'peer-left', roomId, peer: change.peer, reason: change.reason });
      return;
    }
    emit({ type: change.kind === 'joined' ? 'peer-joined' : 'peer-updated', roomId, peer: change.peer });
    const owner = change.peer.impersonates;
    if (owner !== null && !this.impersonationsReported.has(change.peer.peerId)) {
      this.impersonationsReported.set(change.peer.peerId, true);
      emit({ type: 'impersonation', roomId, peer: change.peer, ownerPeerId: owner });
    }
    if (change.kind === 'joined') this.greetNewcomer();
  }

  /**
   * One greeting covers a burst of joins. It comes within 100 ms in a small room, so a newcomer
   * soon knows where our sequence stands (a message of ours lost before that can only come back
   * with the history answer); a big room spreads its greetings over up to 2 s.
   */
  private greetNewcomer(): void {
    if (this.greeting || !this.deps.present()) return;
    const wait = Math.max(Math.random() * greetingSpreadMs(this.table.size + 1, this.helloBytes), this.lastGreetingAt + GREETING_MIN_INTERVAL_MS - this.deps.clock.now());
    this.greeting = this.deps.clock.after(wait, () => {
      this.greeting = null;
      this.lastGreetingAt = this.deps.clock.now();
      this.deps.announce();
    });
  }
}
