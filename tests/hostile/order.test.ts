import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../electron/core/clock.js';
import { aliceAndBob, coreOn, settle } from '../helpers/core-peers.js';
import { FakeNetwork } from '../helpers/fake-network.js';
import { testPeer } from '../helpers/signed-frames.js';

/**
 * Hostile LAN, "one frame far ahead cannot pull the room's order". Measured before: after one
 * chat frame stamped 23.9 h ahead, the next messages of every other peer sorted 23.9 h ahead,
 * and a peer that joined later sorted above them all.
 */

const ROOM = { group: '239.255.42.99', port: 4242 };
const ID = '239.255.42.99:4242';
const HOUR = 3_600_000;
const byOrder = (texts: { text: string; order: string }[]): string[] => [...texts].sort((a, b) => (a.order < b.order ? -1 : 1)).map((m) => m.text);

describe('order under a clock far ahead', () => {
  it('a frame stamped 23.9 h ahead is shown where it arrived, marked, and the room keeps its time', async () => {
    const { net, clock, alice, bob } = await aliceAndBob(ROOM);
    await alice.core.send(ID, 'before');
    clock.advance(10);
    const mallory = testPeer({ startedAt: clock.now() });
    const ahead = clock.now() + 23.9 * HOUR;
    for (const datagram of mallory.chat({ nick: 'mallory', seq: 0, ttl: 1, ts: ahead }, 'from the future')) {
      net.inject(datagram, ROOM.group, ROOM.port, { address: '198.18.1.66', port: 40000 });
    }
    clock.advance(10);
    await alice.core.send(ID, 'after');
    await settle(clock, 100);

    expect(byOrder(bob.shown())).toEqual(['before', 'from the future', 'after']);
    expect(bob.shown().find((m) => m.text === 'from the future')?.clockAheadMs).toBeGreaterThan(23 * HOUR);
    // Nobody's later messages were pulled a day ahead, and a newcomer's first message sorts last.
    const carol = coreOn(net, clock, 'carol');
    await carol.core.joinRoom(ROOM);
    clock.advance(10);
    await carol.core.send(ID, 'newcomer');
    await settle(clock, 100);
    expect(byOrder(bob.shown()).at(-1)).toBe('newcomer');
    expect(Number(bob.shown().find((m) => m.text === 'after')?.order.slice(0, 15))).toBeLessThan(clock.now() + 60_000);
  });

  it('a peer whose own clock is an hour behind still sorts its answer after the question: the others\' clocks agree it is behind', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const slowClock = { now: () => clock.now() - HOUR, after: clock.after.bind(clock), every: clock.every.bind(clock) };
    const alice = coreOn(net, clock, 'alice');
    const bob = coreOn(net, clock, 'bob');
    const carol = coreOn(net, clock, 'carol');
    const slow = coreOn(net, clock, 'slow', { clock: slowClock });
    for (const p of [alice, bob, carol, slow]) await p.core.joinRoom(ROOM);
    await settle(clock, 300);
    await alice.core.send(ID, 'question');
    clock.advance(10);
    await slow.core.send(ID, 'answer');
    await settle(clock, 50);
    expect(byOrder(bob.shown())).toEqual(['question', 'answer']);
    expect(slow.shown().find((m) => m.text === 'question')?.clockAheadMs).toBeUndefined();
  });

  it('two keys of one attacker, or 300 fresh ones, claiming the same clock a day ahead do not outvote the peers heard for a minute', async () => {
    const { net, clock, alice, bob } = await aliceAndBob(ROOM);
    const carol = coreOn(net, clock, 'carol');
    await carol.core.joinRoom(ROOM);
    await settle(clock, 61_000); // alice and carol are established witnesses for bob
    const ahead = clock.now() + 23 * HOUR;
    const from = { address: '198.18.1.66', port: 40000 };
    // Witnesses for the attacker's clock: its second key, then 300 throwaway keys, all announcing it.
    for (let i = 0; i < 301; i++) {
      const accomplice = testPeer({ startedAt: ahead });
      net.inject(accomplice.frame({ t: 'hello', nick: `m${i}`, app: 'x', ivl: 5_000, up: 0 }), ROOM.group, ROOM.port, from);
    }
    await settle(clock, 100);
    const mallory = testPeer({ startedAt: clock.now() });
    for (const datagram of mallory.chat({ nick: 'mallory', seq: 0, ttl: 1, ts: ahead }, 'from the future')) {
      net.inject(datagram, ROOM.group, ROOM.port, from);
    }
    clock.advance(10);
    await alice.core.send(ID, 'after');
    await settle(clock, 100);
    expect(bob.shown().find((m) => m.text === 'from the future')?.clockAheadMs).toBeGreaterThan(22 * HOUR);
    expect(byOrder(bob.shown()).slice(-2)).toEqual(['from the future', 'after']);
    expect(Number(bob.shown().find((m) => m.text === 'after')?.order.slice(0, 15))).toBeLessThan(clock.now() + 60_000);
  });
});
