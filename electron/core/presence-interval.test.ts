import { describe, expect, it } from 'vitest';
import { PRESENCE_INTERVAL_MS } from '../../shared/protocol/constants.js';
import { announceIntervalMs, greetingSpreadMs, MAX_ANNOUNCE_INTERVAL_MS, nextAnnounceDelayMs, PRESENCE_BUDGET_BYTES_PER_S, TYPICAL_HELLO_BYTES } from './presence-interval.js';

/** Bytes per second a room of `members` puts on the wire in hellos, each announcing at our interval. */
const roomRate = (members: number, helloBytes = TYPICAL_HELLO_BYTES): number => (members * helloBytes * 1_000) / announceIntervalMs(members, helloBytes);

describe('presence interval (RFC 3550 scaling)', () => {
  it('keeps the base interval in a small room', () => {
    for (const members of [1, 2, 5, 15, 30]) expect(announceIntervalMs(members)).toBe(PRESENCE_INTERVAL_MS);
  });

  it('keeps a room of up to 360 members within the budget, and 300 under 2 KB/s', () => {
    for (const members of [34, 50, 100, 300, 360]) expect(roomRate(members)).toBeLessThanOrEqual(PRESENCE_BUDGET_BYTES_PER_S + 1);
    expect(announceIntervalMs(300)).toBe(50_000);
    expect(roomRate(300)).toBeLessThanOrEqual(2_000);
  });

  it('never announces less often than peers time out by (60 s)', () => {
    expect(announceIntervalMs(1_024)).toBe(MAX_ANNOUNCE_INTERVAL_MS);
    expect(announceIntervalMs(100_000, 1_200)).toBe(MAX_ANNOUNCE_INTERVAL_MS);
  });

  it('scales a faster base (tests, demos) by the same factor', () => {
    expect(announceIntervalMs(300, TYPICAL_HELLO_BYTES, 500)).toBe(5_000);
    expect(announceIntervalMs(3, TYPICAL_HELLO_BYTES, 100)).toBe(100);
  });

  it('jitters each wait between half and one and a half intervals', () => {
    expect(nextAnnounceDelayMs(10_000, () => 0)).toBe(5_000);
    expect(nextAnnounceDelayMs(10_000, () => 0.999)).toBe(14_990);
  });

  it('greets within 100 ms in a small room and spreads greetings over at most 2 s in a big one', () => {
    expect(greetingSpreadMs(5)).toBe(100);
    expect(greetingSpreadMs(300)).toBe(1_800);
    expect(greetingSpreadMs(1_024)).toBe(2_000);
  });
});
