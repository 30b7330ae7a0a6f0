import { describe, expect, it } from 'vitest';
import { MAX_SESSIONS, ReplayGuard } from './replay-guard.js';

const HOUR = 3_600_000;
const NOW = 1_750_000_000_000;
const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
const S1 = '1111111111111111';
const S2 = '2222222222222222';

/** check, then accept when ok: what the receive path does for a frame that verifies. */
function deliver(guard: ReplayGuard, peer: string, sess: string, start: number, n: number, now = NOW): string {
  const verdict = guard.check(peer, sess, start, n, now);
  if (verdict === 'ok') guard.accept(peer, sess, start, n, now);
  return verdict;
}

describe('replay guard', () => {
  it('lets each counter of a session through once', () => {
    const guard = new ReplayGuard();
    expect(deliver(guard, A, S1, NOW - 1000, 0)).toBe('ok');
    expect(deliver(guard, A, S1, NOW - 1000, 2)).toBe('ok');
    expect(deliver(guard, A, S1, NOW - 1000, 0)).toBe('replay');
    expect(deliver(guard, A, S1, NOW - 1000, 1)).toBe('ok');
    expect(deliver(guard, A, S1, NOW - 1000, 5000)).toBe('ok');
    expect(deliver(guard, A, S1, NOW - 1000, 1)).toBe('too-old');
  });

  it('keeps sessions and peers apart', () => {
    const guard = new ReplayGuard();
    expect(deliver(guard, A, S1, NOW, 7)).toBe('ok');
    expect(deliver(guard, A, S2, NOW + 1000, 7)).toBe('ok');
    expect(deliver(guard, B, S1, NOW, 7)).toBe('ok');
    expect(deliver(guard, A, S1, NOW, 7)).toBe('replay');
  });

  it('check changes nothing; accept alone records', () => {
    const guard = new ReplayGuard();
    for (let i = 0; i < 3; i++) expect(guard.check(A, S1, NOW, 1, NOW)).toBe('ok');
    expect(guard.newestSessionStarts()).toEqual({});
    guard.accept(A, S1, NOW, 1, NOW);
    expect(guard.check(A, S1, NOW, 1, NOW)).toBe('replay');
  });

  it('refuses sessions starting more than 24 h in the future', () => {
    const guard = new ReplayGuard();
    expect(guard.check(A, S1, NOW + 24 * HOUR + 1, 0, NOW)).toBe('future-session');
    expect(guard.check(A, S1, NOW + 24 * HOUR, 0, NOW)).toBe('ok');
  });

  it('refuses a session older than the newest known for that peer, with 5 s of slack', () => {
    const guard = new ReplayGuard();
    const restart = NOW - 60_000;
    deliver(guard, A, S2, restart, 0);
    expect(deliver(guard, A, S1, restart - 3_600_000, 40)).toBe('old-session'); // the previous run, played back
    expect(deliver(guard, A, S1, restart - 5_000, 0)).toBe('ok'); // a second window started with it
    expect(deliver(guard, A, S1, restart - 5_001, 1)).toBe('old-session');
    // Other peers are not affected by A's sessions.
    expect(deliver(guard, B, S1, restart - 3_600_000, 0)).toBe('ok');
  });

  it('refuses a day-old session unless it is the peer’s current one (an app left running)', () => {
    const guard = new ReplayGuard();
    const longAgo = NOW - 30 * HOUR;
    // Known since it started, still running: fine.
    expect(deliver(guard, A, S1, longAgo, 0, longAgo + 1000)).toBe('ok');
    expect(deliver(guard, A, S1, longAgo, 1, NOW)).toBe('ok');
    // A peer known to have started a session 40 h ago: another day-old session of it is a playback.
    const seeded = new ReplayGuard({ [B]: NOW - 40 * HOUR });
    expect(seeded.check(B, S2, NOW - 30 * HOUR, 0, NOW)).toBe('old-session');
    expect(seeded.check(B, S2, NOW - 23 * HOUR, 0, NOW)).toBe('ok');
    // A peer we know nothing of: its running session becomes the newest we know.
    const fresh = new ReplayGuard();
    expect(deliver(fresh, B, S2, longAgo, 9)).toBe('ok');
    expect(fresh.newestSessionStarts()).toEqual({ [B]: longAgo });
  });

  it('persists the newest session starts through its seed', () => {
    const guard = new ReplayGuard();
    deliver(guard, A, S1, NOW - 10_000, 0);
    deliver(guard, A, S2, NOW - 1_000, 0);
    deliver(guard, B, S1, NOW - 20_000, 0);
    const saved = guard.newestSessionStarts();
    expect(saved).toEqual({ [A]: NOW - 1_000, [B]: NOW - 20_000 });
    // After a restart, A's earlier run is still refused.
    const restarted = new ReplayGuard(JSON.parse(JSON.stringify(saved)) as Record<string, number>);
    expect(restarted.check(A, S1, NOW - 10_000, 1, NOW)).toBe('old-session');
    expect(restarted.check(A, S2, NOW - 1_000, 1, NOW)).toBe('ok');
  });

  it('stays bounded under a flood of sessions, and a pushed-out session does not reopen', () => {
    const guard = new ReplayGuard();
    deliver(guard, A, S1, NOW, 100);
    for (let i = 0; i < MAX_SESSIONS + 10; i++) deliver(guard, `f${i.toString(16).padStart(15, '0')}`, S1, NOW, 0);
    // A's window was evicted; its counters up to 100 still count as seen.
    expect(guard.check(A, S1, NOW, 100, NOW)).toBe('replay');
    expect(guard.check(A, S1, NOW, 50, NOW)).toBe('replay');
    expect(deliver(guard, A, S1, NOW, 101)).toBe('ok');
    expect(deliver(guard, A, S1, NOW, 101)).toBe('replay');
  });

  it('takes a wider window for senders whose repairs reach further back', () => {
    const narrow = new ReplayGuard();
    const wide = new ReplayGuard(undefined, { windowSize: 4096 });
    for (const guard of [narrow, wide]) deliver(guard, A, S1, NOW, 5000);
    expect(narrow.check(A, S1, NOW, 2000, NOW)).toBe('too-old');
    expect(deliver(wide, A, S1, NOW, 2000)).toBe('ok');
    expect(deliver(wide, A, S1, NOW, 2000)).toBe('replay');
    expect(() => new ReplayGuard(undefined, { windowSize: 100 })).toThrow(RangeError);
  });

  it('treats a peer id of __proto__ as data', () => {
    const guard = new ReplayGuard({ ['__proto__']: NOW } as Record<string, number>);
    deliver(guard, '__proto__', S1, NOW, 0);
    const starts = guard.newestSessionStarts();
    expect(Object.getPrototypeOf(starts)).toBe(Object.prototype);
    expect(Object.keys(starts)).toEqual(['__proto__']);
  });
});
