import { describe, expect, it } from 'vitest';
import { aliceAndBob, settle } from '../helpers/core-peers.js';
import { testPeer, withForgedSignature } from '../helpers/signed-frames.js';

/**
 * Hostile LAN, "an address is not an identity". Measured before: junk forged with a real peer's
 * ip:port made a receiver drop 49 of that peer's 70 messages for good and print "alice … is
 * flooding the room"; bad-signature hellos (key matching its peer id, signature random, built
 * once, resent forever) from 64 source ports lost a real peer 43 of 200 messages.
 */

const ROOM = { group: '239.255.42.99', port: 4242 };
const ID = '239.255.42.99:4242';

describe('an address is not an identity', () => {
  it('junk forged with a real peer\'s ip:port costs that peer nothing and is not blamed on it', async () => {
    const { net, clock, alice, bob } = await aliceAndBob(ROOM);
    const aliceSource = net.sent.find((d) => new TextDecoder().decode(d.data).includes('"nick":"alice"'))?.from ?? '';
    const [address = '', port = '0'] = aliceSource.split(':');
    const junk = new TextEncoder().encode('x'.repeat(200));
    for (let i = 0; i < 70; i++) {
      // 60 junk datagrams from alice's own address between each of her messages: 4,200 in all.
      for (let j = 0; j < 60; j++) net.inject(junk, ROOM.group, ROOM.port, { address, port: Number(port) });
      await alice.core.send(ID, `real ${i}`);
      clock.advance(5);
    }
    await settle(clock, 15_000);
    const texts = new Set(bob.shown().filter((m) => m.kind === 'chat').map((m) => m.text));
    expect(texts.size).toBe(70);
    const floods = bob.events.flatMap((e) => (e.type === 'flood' ? [e] : []));
    expect(floods.length).toBeGreaterThan(0); // the junk was cut...
    expect(floods.every((f) => f.peerId === null && f.nick === null)).toBe(true); // ...and not blamed on alice
    expect(bob.core.peers(ID).find((p) => p.nick === 'alice')?.flooding).toBe(false);
    expect(bob.core.counters(ID).lossGivenUp).toBe(0);
  });

  it('a forged frame with a real key and a random signature, resent from 64 ports, silences nobody', async () => {
    const { net, clock, alice, bob } = await aliceAndBob(ROOM);
    // The attacker takes alice's public key from the wire; it cannot sign, so the signature is junk.
    const victimKey = testPeer({ startedAt: clock.now() });
    const hello = victimKey.frame({ t: 'hello', nick: 'alice', app: 'x', ivl: 5_000 });
    const forged = withForgedSignature(hello);
    for (let i = 0; i < 200; i++) {
      for (let port = 0; port < 64; port++) net.inject(forged, ROOM.group, ROOM.port, { address: '198.18.1.66', port: 40_000 + port });
      await alice.core.send(ID, `real ${i}`);
      clock.advance(5);
    }
    await settle(clock, 15_000);
    expect(new Set(bob.shown().map((m) => m.text)).size).toBe(200);
    expect(bob.core.counters(ID).lossGivenUp).toBe(0);
    expect(bob.core.peers(ID).find((p) => p.nick === 'alice')?.flooding).toBe(false);
    // 12,800 forged copies, all refused as bad signatures (or cut by their ports' limits).
    const c = bob.core.counters(ID);
    expect(c.badSignature + c.floodDropped).toBe(12_800);
  });
});
