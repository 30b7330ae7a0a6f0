import type { Clock } from './clock.js';

/**
 * How long a room that sent messages stays after being asked to leave, so the peers that lost
 * one can still get it repaired: until nobody has asked for a resend for `quietMs`, at most
 * `maxMs`. Without it, `seq 1 300 | mcchat chat` under 20 % loss delivered 245 of 300: the
 * sender was gone before the NACKs came.
 */
export interface LingerPolicy {
  readonly quietMs: number;
  readonly maxMs: number;
}

/**
 * Quiet means clearly longer than a receiver waits between two NACKs for one message (1 s, plus
 * up to 40 ms of back-off, loss-detector.ts), with room for a busy receiver's late timers: with
 * exactly 1 s, a receiver whose repair was lost asked again just after its sender had gone
 * (seen: 19 of 20 `mcchat send` runs under 20 % loss, in CI).
 */
export const LINGER_QUIET_MS = 2_000;

/**
 * `mcchat`: quiet ends it (2 s without an ask, the usual case), so the cap only holds a sender
 * whose askers keep asking: at 20 % loss a repair can be lost round after round (a NACK and its
 * repair both get through 64 % of the time), and with a 5 s cap one CI run gave up 1 of 100.
 * 15 s is about 13 rounds of asking: all lost once in a million. A hostile asker holds a one-shot
 * sender 15 s at most.
 */
export const DEFAULT_LINGER: LingerPolicy = { quietMs: LINGER_QUIET_MS, maxMs: 15_000 };

/**
 * Trailing announcements while lingering (ms after it starts): each says where our sequence
 * stands, so a receiver that lost our last message asks for it. Four, because any of them can
 * be lost too: at 20 % loss all four are lost once in 625 leaves.
 */
export const LINGER_ANNOUNCEMENTS_MS: readonly number[] = [0, 150, 400, 750];

const POLL_MS = 50;

/**
 * Resolves once `lastActivity()` is `quietMs` in the past (and every trailing announcement is
 * out), after `maxMs`, or when `cutShort` settles (a second Ctrl+C).
 */
export function waitUntilQuiet(clock: Clock, policy: LingerPolicy, lastActivity: () => number, cutShort: Promise<unknown> | undefined): Promise<void> {
  const started = clock.now();
  const lastAnnouncement = Math.max(0, ...LINGER_ANNOUNCEMENTS_MS);
  return new Promise<void>((resolve) => {
    let done = false;
    const finish = (): void => {
      done = true;
      resolve();
    };
    void cutShort?.then(finish, finish);
    const check = (): void => {
      if (done) return;
      const now = clock.now();
      const quiet = now - Math.max(lastActivity(), started + lastAnnouncement) >= policy.quietMs;
      if (quiet || now - started >= policy.maxMs) finish();
      else clock.after(POLL_MS, check);
    };
    check();
  });
}
