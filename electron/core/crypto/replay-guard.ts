/**
 * Anti-replay across sessions: one ReplayWindow per (peer, session), plus rules on the session's
 * start time, so a datagram captured during an earlier run of a peer cannot be played back as
 * part of that earlier run. The peer id is bound to a signing key and the frame is signed, so
 * only the key's owner could have started a session: what remains to stop is playback.
 */
import { BoundedMap } from './bounded-map.js';
import { KeyCache } from './key-cache.js';
import { REPLAY_WINDOW_SIZE, ReplayWindow } from './replay-window.js';

export { ReplayWindow, REPLAY_WINDOW_SIZE, type WindowVerdict } from './replay-window.js';

export type ReplayVerdict = 'ok' | 'replay' | 'too-old' | 'old-session' | 'future-session';

const HOUR = 3_600_000;
/** A session starting further ahead than this is refused: no honest clock is a day fast. */
export const MAX_SESSION_FUTURE_MS = 24 * HOUR;
/** A session older than this is refused unless it is the one we know as the peer's current one. */
export const MAX_SESSION_AGE_MS = 24 * HOUR;
/** Another session of a peer may have started this much before its newest (two windows, a fast restart). */
export const SESSION_SLACK_MS = 5_000;
export const MAX_SESSIONS = 4096;
export const MAX_PEERS = 16_384;
/** Peers heard for at least this long are kept apart from strangers, so a flood cannot push them out. */
export const ESTABLISHED_AFTER_MS = 60_000;
export const MAX_ESTABLISHED_PEERS = 4_096;
/** Highest counters of evicted sessions: cheap (one number each), so many more are kept. */
export const MAX_EVICTED_SESSIONS = 65_536;

/** Session starts by (peer, session), learned from introductions: one number each, so many are kept. */
export const MAX_SESSION_STARTS = 65_536;

export interface ReplayGuardOptions {
  /** Each session's window (default 1024): see ReplayWindow. */
  readonly windowSize?: number;
  /** Public keys by peer id from an earlier run (the trust store keeps them). */
  readonly keys?: Iterable<readonly [string, Uint8Array]>;
  /** A key heard for the first time: the trust store keeps it for the next run. */
  readonly keyLearned?: (peerId: string, key: Uint8Array) => void;
}

interface SessionState {
  readonly window: ReplayWindow;
}

export class ReplayGuard {
  private readonly sessions = new BoundedMap<string, SessionState>(MAX_SESSIONS);
  /**
   * A session pushed out by a flood of others leaves its highest counter here; if it comes back,
   * everything up to that counter counts as seen, so eviction never reopens old counters.
   */
  private readonly evicted = new BoundedMap<string, number>(MAX_EVICTED_SESSIONS);
  /**
   * Newest session start per peer, in two tables: peers heard for a minute or more (or known from
   * an earlier run), and strangers. Fresh identities by the thousand only push out strangers, so
   * a real peer's old sessions stay dead through such a flood.
   */
  private readonly established = new BoundedMap<string, number>(MAX_ESTABLISHED_PEERS);
  private readonly strangers = new BoundedMap<string, { start: number; since: number }>(MAX_PEERS);
  /**
   * When each (peer, session) started, from its introductions: frames without `st` (chat, bye)
   * are checked against it. A session not here is unknown (see FrameGate).
   */
  private readonly starts = new BoundedMap<string, number>(MAX_SESSION_STARTS);
  /** Peers' public keys, for frames that do not carry one. */
  readonly keys: KeyCache;
  private readonly windowSize: number;

  /** `seed`: the newest session start per peer from a previous run (the trust store keeps it). */
  constructor(seed?: Record<string, number>, options: ReplayGuardOptions = {}) {
    this.windowSize = options.windowSize ?? REPLAY_WINDOW_SIZE;
    this.keys = new KeyCache(options.keys, options.keyLearned);
    new ReplayWindow(this.windowSize); // refuses a bad size now rather than at the first frame
    if (!seed) return;
    for (const [peerId, start] of Object.entries(seed)) {
      if (Number.isFinite(start)) this.established.set(peerId, start);
    }
  }

  /** What `accept` would make of this frame, changing nothing: run before the costly decrypt and verify. */
  check(peerId: string, sess: string, sessionStart: number, n: number, now: number): ReplayVerdict {
    if (!Number.isFinite(sessionStart) || !Number.isFinite(now)) return 'old-session';
    if (sessionStart > now + MAX_SESSION_FUTURE_MS) return 'future-session';
    const newest = this.newestStart(peerId);
    // Slack, not equality: a peer may run two sessions that started moments apart.
    if (newest !== undefined && sessionStart < newest - SESSION_SLACK_MS) return 'old-session';
    // A day-old session is a playback unless we have been following it as the peer's current one
    // (an app left running). For a peer we know nothing of, it becomes the newest we know.
    if (sessionStart < now - MAX_SESSION_AGE_MS && newest !== undefined && sessionStart !== newest) return 'old-session';
    const key = sessionKey(peerId, sess);
    const state = this.sessions.peek(key);
    if (state) return state.window.check(n);
    const forgottenUpTo = this.evicted.peek(key);
    return forgottenUpTo === undefined ? 'ok' : ReplayWindow.seenUpTo(forgottenUpTo, this.windowSize).check(n);
  }

  /** When this session of the peer started, if an introduction of it was accepted. */
  sessionStart(peerId: string, sess: string): number | undefined {
    return this.starts.get(sessionKey(peerId, sess));
  }

  /** Records a frame that passed every check (decrypt, signature, schema). Does nothing for one `check` refuses. */
  accept(peerId: string, sess: string, sessionStart: number, n: number, now: number): void {
    if (this.check(peerId, sess, sessionStart, n, now) !== 'ok') return;
    this.noteSessionStart(peerId, sessionStart, now);
    const key = sessionKey(peerId, sess);
    // The first start heard for a session is its start: a later introduction cannot move it.
    if (!this.starts.has(key)) this.starts.set(key, sessionStart);
    let state = this.sessions.get(key);
    if (!state) {
      const forgottenUpTo = this.evicted.peek(key);
      this.evicted.delete(key);
      state = { window: forgottenUpTo === undefined ? new ReplayWindow(this.windowSize) : ReplayWindow.seenUpTo(forgottenUpTo, this.windowSize) };
      const pushedOut = this.sessions.set(key, state);
      if (pushedOut && pushedOut[1].window.highestAccepted >= 0) this.evicted.set(pushedOut[0], pushedOut[1].window.highestAccepted);
    }
    state.window.accept(n);
  }

  private newestStart(peerId: string): number | undefined {
    return this.established.peek(peerId) ?? this.strangers.peek(peerId)?.start;
  }

  private noteSessionStart(peerId: string, start: number, now: number): void {
    const known = this.established.get(peerId);
    if (known !== undefined) {
      if (start > known) this.established.set(peerId, start);
      return;
    }
    const stranger = this.strangers.get(peerId);
    const newest = stranger === undefined || start > stranger.start ? start : stranger.start;
    const since = stranger?.since ?? now;
    if (now - since >= ESTABLISHED_AFTER_MS) {
      this.strangers.delete(peerId);
      this.established.set(peerId, newest);
    } else {
      this.strangers.set(peerId, { start: newest, since });
    }
  }

  /** The newest session start seen per peer, for the trust store to persist across restarts. */
  newestSessionStarts(): Record<string, number> {
    const out: Record<string, number> = {};
    const all: [string, number][] = [...[...this.strangers].map(([peerId, s]): [string, number] => [peerId, s.start]), ...this.established];
    for (const [peerId, start] of all) {
      // defineProperty: a peer id of "__proto__" must be stored as data, not as the prototype.
      Object.defineProperty(out, peerId, { value: start, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}

function sessionKey(peerId: string, sess: string): string {
  return `${peerId}/${sess}`;
}
