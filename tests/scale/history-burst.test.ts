import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../electron/core/clock.js';
import { decodeDatagram } from '../../shared/protocol/codec.js';
import { coreOn, settle, type TestCore } from '../helpers/core-peers.js';
import { FakeNetwork } from '../helpers/fake-network.js';

const ROOM = { group: '239.255.42.62', port: 4562 };
const ID = `${ROOM.group}:${ROOM.port}`;

/** A deterministic "random" for losses, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/** History answers on the wire: one `hist` announcement (said twice) per answer, told apart by its peer and request. */
function answers(net: FakeNetwork): number {
  const seen = new Set<string>();
  for (const sent of net.sent) {
    const decoded = decodeDatagram(sent.data);
    if (decoded.kind === 'frame' && decoded.header.t === 'hist') seen.add(`${decoded.header.peer}/${decoded.header.rid}`);
  }
  return seen.size;
}

describe('a class joining a room with history (10 % loss at every receiver)', () => {
  it('ten newcomers over 3 s get the history from a few answers, not one each (or more), said twice so a lost `hist` does not make another', async () => {
    const net = new FakeNetwork();
    const random = seeded(7);
    net.dropWhen = () => random() < 0.1;
    const clock = new FakeClock();
    const members: TestCore[] = [];
    for (let i = 0; i < 12; i++) {
      const member = coreOn(net, clock, `m${i}`);
      await member.core.joinRoom(ROOM);
      members.push(member);
    }
    for (let i = 0; i < 20; i++) {
      await members[i % 3]!.core.send(ID, `before class ${i}`);
      clock.advance(50);
    }
    await settle(clock, 5_000, 20);
    const before = answers(net);
    const newcomers: TestCore[] = [];
    for (let i = 0; i < 10; i++) {
      const newcomer = coreOn(net, clock, `n${i}`);
      await newcomer.core.joinRoom(ROOM);
      newcomers.push(newcomer);
      // Fine steps: a LAN carries a `hist` in well under a millisecond, and two answer timers
      // falling in one coarse step would both fire before either hears the other.
      await settle(clock, 300, 2);
    }
    await settle(clock, 5_000, 2);
    const given = answers(net) - before;
    console.log(`10 newcomers over 3 s, 12 members, 10 % loss: ${given} history answers`);
    // Without coalescing and the second `hist`, this was one answer per newcomer and more (14).
    // Three rounds (0 s, ~2.2 s, ~4.4 s), 3-4 answers in runs; one more when two members' timers
    // fire within a step of each other (neither heard the other's `hist` yet).
    expect(given).toBeLessThanOrEqual(5);
    for (const newcomer of newcomers) {
      // Loss takes some (a lost history datagram is not asked for again: issue 14's lab, finding
      // 2): 18 of 20 on average from one answer; 12 would be 8 lost, p < 0.001.
      const history = newcomer.shown().filter((m) => m.history);
      expect(history.length, newcomer.core.nickname).toBeGreaterThanOrEqual(12);
    }
  }, 60_000);
});
