import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../electron/core/clock.js';
import { PRESENCE_BUDGET_BYTES_PER_S } from '../../electron/core/presence-interval.js';
import { decodeDatagram } from '../../shared/protocol/codec.js';
import { PRESENCE_INTERVAL_MS } from '../../shared/protocol/constants.js';
import { coreOn, settle, type TestCore } from '../helpers/core-peers.js';
import { FakeNetwork } from '../helpers/fake-network.js';

const ROOM = { group: '239.255.42.60', port: 4560 };
/** Past 30 members of ~300-byte hellos the base interval would exceed the budget. */
const MEMBERS = 40;

/** Hellos on the wire since `from`, with the interval each one announced. */
function hellosSince(net: FakeNetwork, from: number): { bytes: number; count: number; intervals: number[] } {
  let bytes = 0;
  const intervals: number[] = [];
  for (const sent of net.sent.slice(from)) {
    const decoded = decodeDatagram(sent.data);
    if (decoded.kind !== 'frame' || decoded.header.t !== 'hello') continue;
    bytes += sent.data.length;
    intervals.push(decoded.header.ivl);
  }
  return { bytes, count: intervals.length, intervals };
}

describe('presence in a big room (RFC 3550 scaling)', () => {
  it(`keeps ${MEMBERS} members' hellos within the budget, and everyone listed`, async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const peers: TestCore[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const peer = coreOn(net, clock, `p${i}`);
      await peer.core.joinRoom(ROOM);
      peers.push(peer);
    }
    await settle(clock, 3_000, 50);
    const roomId = `${ROOM.group}:${ROOM.port}`;

    const start = net.sent.length;
    const windowMs = 60_000;
    await settle(clock, windowMs, 100);
    const { bytes, count, intervals } = hellosSince(net, start);
    const rate = (bytes * 1_000) / windowMs;
    console.log(`presence: ${MEMBERS} members, ${count} hellos of ~${Math.round(bytes / count)} B in ${windowMs / 1000} s = ${Math.round(rate)} B/s; interval ${Math.min(...intervals)}-${Math.max(...intervals)} ms`);
    // Each member announces the stretched interval, and the room together stays near the budget
    // (the jitter makes the count of a 60 s window vary by a few hellos).
    expect(Math.min(...intervals)).toBeGreaterThan(PRESENCE_INTERVAL_MS);
    expect(count).toBeGreaterThan(MEMBERS * 5);
    expect(rate).toBeLessThan(PRESENCE_BUDGET_BYTES_PER_S * 1.3);
    expect(rate).toBeLessThan(2_000 * 1.15);
    // At the old fixed 5 s the same room would send MEMBERS × size ÷ 5 s.
    expect(rate).toBeLessThan(((bytes / count) * MEMBERS * 1_000) / PRESENCE_INTERVAL_MS);
    for (const peer of peers) expect(peer.core.peers(roomId)).toHaveLength(MEMBERS - 1);

    // A newcomer still sees everyone within 2 s: the greetings are spread, not skipped.
    const newcomer = coreOn(net, clock, 'late');
    await newcomer.core.joinRoom(ROOM);
    await settle(clock, 2_000, 20);
    expect(newcomer.core.peers(roomId)).toHaveLength(MEMBERS);
  }, 120_000);
});

describe("a newcomer's peer list at 10 % loss", () => {
  it('is complete within 3 s for nearly every newcomer: members it lacks greet again after its follow-up', async () => {
    const net = new FakeNetwork();
    net.dropWhen = () => Math.random() < 0.1;
    const clock = new FakeClock();
    const room = { group: '239.255.42.63', port: 4563 };
    const roomId = `${room.group}:${room.port}`;
    const everyone: TestCore[] = [];
    for (let i = 0; i < 20; i++) {
      const member = coreOn(net, clock, `m${i}`);
      await member.core.joinRoom(room);
      everyone.push(member);
    }
    await settle(clock, 8_000, 50);
    let complete = 0;
    for (let i = 0; i < 10; i++) {
      const newcomer = coreOn(net, clock, `n${i}`);
      await newcomer.core.joinRoom(room);
      await settle(clock, 3_000, 5);
      if (newcomer.core.peers(roomId).length === everyone.length) complete++;
      everyone.push(newcomer);
    }
    console.log(`newcomers with everyone listed within 3 s: ${complete} of 10`);
    // One greeting each: 0.9^19, about 1 in 7 newcomers would see all 19+ members; three tries each: 98 %.
    expect(complete).toBeGreaterThanOrEqual(7);
  }, 120_000);
});
