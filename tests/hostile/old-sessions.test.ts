import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../electron/core/crypto/replay-guard.js';

/**
 * Hostile LAN, "old sessions stay dead". Measured before: after 16,500 fresh identities, a
 * two-day-old hello of a real peer was accepted (alice "joined" while absent): the flood had
 * pushed alice out of the table of newest sessions.
 */

const DAY = 24 * 3_600_000;
const ALICE = 'a11ce00000000000';

describe('old sessions through a flood of fresh identities', () => {
  it('a peer heard for a minute is not pushed out by 20,000 strangers: its two-day-old session is still refused', () => {
    const guard = new ReplayGuard();
    let now = 1_700_000_000_000;
    const oldStart = now - 2 * DAY;
    const currentStart = now - 1_000;
    guard.accept(ALICE, '00000000000000a1', currentStart, 0, now);
    now += 61_000;
    guard.accept(ALICE, '00000000000000a1', currentStart, 1, now); // heard for a minute: established
    for (let i = 0; i < 20_000; i++) guard.accept(i.toString(16).padStart(16, '0'), '00000000000000b1', now, 0, now);
    expect(guard.check(ALICE, '00000000000000a0', oldStart, 0, now)).toBe('old-session');
    expect(guard.check(ALICE, '00000000000000a1', currentStart, 2, now)).toBe('ok');
    expect(guard.newestSessionStarts()[ALICE]).toBe(currentStart);
  });

  it('peers known from an earlier run (the trust store) are established from the start', () => {
    const now = 1_700_000_000_000;
    const guard = new ReplayGuard({ [ALICE]: now - 1_000 });
    for (let i = 0; i < 20_000; i++) guard.accept(i.toString(16).padStart(16, '0'), '00000000000000b1', now, 0, now);
    expect(guard.check(ALICE, '00000000000000a0', now - 2 * DAY, 0, now)).toBe('old-session');
  });
});
