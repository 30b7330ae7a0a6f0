import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { coreOn, settle } from '../../tests/helpers/core-peers.js';
import { FakeNetwork } from '../../tests/helpers/fake-network.js';
import { testPeer } from '../../tests/helpers/signed-frames.js';

/** Issue 12, "how far does my TTL reach?": a multicast traceroute for scope. */

const ROOM = { group: '239.255.42.99', port: 4242, ttl: 32 };
const ID = '239.255.42.99:4242';
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** Alice and bob share a subnet; carol is one router away, dave two. */
function campus(): { net: FakeNetwork; clock: FakeClock } {
  const net = new FakeNetwork();
  const hops: Record<string, number> = { alice: 0, bob: 0, carol: 1, dave: 2 };
  net.distance = (from, to) => (from.owner === to.owner ? 0 : Math.abs((hops[from.owner] ?? 0) - (hops[to.owner] ?? 0)) + 1);
  return { net, clock: new FakeClock() };
}

describe('the reach probe', () => {
  it('shows each peer at the lowest TTL that reaches it, and every answer goes out at that TTL', async () => {
    const { net, clock } = campus();
    const peers = ['alice', 'bob', 'carol', 'dave'].map((nick) => coreOn(net, clock, nick));
    for (const p of peers) await p.core.joinRoom(ROOM);
    await settle(clock, 300);
    const [alice] = peers;
    const before = net.sent.length;
    const probing = alice!.core.probeReach(ID, 4);
    await settle(clock, 3_000);
    const result = await probing;
    const names = result.map((row) => ({ ttl: row.ttl, nicks: row.peers.map((p) => p.nick).sort() }));
    expect(names).toEqual([
      { ttl: 1, nicks: ['bob'] },
      { ttl: 2, nicks: ['carol'] },
      { ttl: 3, nicks: ['dave'] },
      { ttl: 4, nicks: [] },
    ]);
    const answers = net.sent.slice(before).filter((d) => text(d.data).startsWith('MCC2 {"t":"reach"'));
    // One answer per peer (each probe TTL is sent twice; the repeat is not answered again).
    expect(answers).toHaveLength(3);
    expect(answers.map((d) => [/"nick":"(\w+)"/.exec(text(d.data))?.[1], d.ttl]).sort()).toEqual([
      ['bob', 1],
      ['carol', 2],
      ['dave', 3],
    ]);
    expect(alice!.core.counters(ID).controlIn).toBeGreaterThanOrEqual(3);
  });

  it('a flood of probes from one key gets at most 20 answers at once and 10 a second', async () => {
    const { net, clock } = campus();
    const bob = coreOn(net, clock, 'bob');
    await bob.core.joinRoom(ROOM);
    await settle(clock, 300);
    const attacker = testPeer({ startedAt: clock.now() });
    const before = net.sent.length;
    for (let i = 0; i < 500; i++) {
      net.inject(attacker.frame({ t: 'probe', pid: i.toString(16).padStart(16, '0'), ttl: 1 }), ROOM.group, ROOM.port, { address: '198.18.1.66', port: 40000 });
    }
    await settle(clock, 1_000);
    const answers = net.sent.slice(before).filter((d) => text(d.data).startsWith('MCC2 {"t":"reach"'));
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.length).toBeLessThanOrEqual(20 + 11);
  });

  it('a passive room says so in its snapshot and refuses to probe (it sends nothing)', async () => {
    const { net, clock } = campus();
    const quiet = coreOn(net, clock, 'alice');
    const snapshot = await quiet.core.joinRoom(ROOM, { mode: 'passive' });
    expect(snapshot.mode).toBe('passive');
    await expect(quiet.core.probeReach(ID, 2)).rejects.toThrow(/passively/);
    const member = coreOn(net, clock, 'bob');
    expect((await member.core.joinRoom({ ...ROOM, port: 4243 })).mode).toBeUndefined();
  });
});
