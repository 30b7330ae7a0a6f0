import { describe, expect, it } from 'vitest';
import { aliceAndBob, settle } from '../helpers/core-peers.js';
import { testPeer } from '../helpers/signed-frames.js';

/**
 * Hostile LAN, "reassembly": measured before, 257 bogus first fragments evicted a long message's
 * reassembly, and its resend was never shown: its fragments had been recorded as seen before
 * the message was whole.
 */

const ROOM = { group: '239.255.42.99', port: 4242 };
const ID = '239.255.42.99:4242';

describe('reassembly under a flood of first fragments', () => {
  it('a long message whose reassembly was evicted is completed by its resend', async () => {
    const { net, clock, alice, bob } = await aliceAndBob(ROOM);
    const long = 'long message '.repeat(200); // 2,600 bytes: 3 or 4 fragments
    let lastFragmentDropped = false;
    net.dropWhen = (data, to) => {
      const text = new TextDecoder().decode(data);
      if (lastFragmentDropped || to.owner !== 'bob' || !/"frag":\[(\d+),(\d+)\]/.test(text)) return false;
      const [, index, count] = /"frag":\[(\d+),(\d+)\]/.exec(text) ?? [];
      if (Number(index) !== Number(count) - 1) return false;
      lastFragmentDropped = true;
      return true;
    };
    await alice.core.send(ID, long);
    // Bob holds the first fragments; 300 bogus first fragments of other messages push them out.
    const mallory = testPeer({ startedAt: clock.now() });
    for (let i = 0; i < 300; i++) {
      const [first] = mallory.chat({ nick: 'mallory', seq: i, ttl: 1, ts: clock.now() }, 'x'.repeat(3_000));
      if (first) net.inject(first, ROOM.group, ROOM.port, { address: '198.18.1.66', port: 40000 });
    }
    net.dropWhen = null;
    await settle(clock, 5_000);
    expect(bob.shown().filter((m) => m.nick === 'alice').map((m) => m.text)).toEqual([long]);
    expect(bob.core.counters(ID).lossRecovered).toBeGreaterThanOrEqual(1);
  });
});
