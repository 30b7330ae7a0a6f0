import { describe, expect, it } from 'vitest';
import type { GapReport } from '../../../shared/events.js';
import { aliceAndBob, settle } from '../../../tests/helpers/core-peers.js';
import { textOf } from '../../../tests/helpers/signed-frames.js';

/** Issue 12, "loss in place": a gap is a marker where it is, updated in place; each peer has a meter. */

const ROOM = { group: '239.255.42.99', port: 4242 };
const ID = '239.255.42.99:4242';
const text = textOf;

describe('loss markers and per-peer meters', () => {
  it('a lost message is a marker before the message that revealed it: asking, then repaired with the NACKs it took', async () => {
    const { net, clock, alice, bob } = await aliceAndBob(ROOM);
    await alice.core.send(ID, 'one');
    let dropped = 0;
    net.dropWhen = (data, to) => to.owner === 'bob' && text(data).endsWith('two') && dropped++ === 0;
    await alice.core.send(ID, 'two');
    net.dropWhen = null;
    await alice.core.send(ID, 'three');
    await alice.core.send(ID, 'four');
    await settle(clock, 2_000);
    expect(dropped).toBe(1);

    const reports = bob.events.flatMap((e) => (e.type === 'loss' ? [e.gap] : []));
    expect(reports.map((r) => r.state)).toEqual(['asking', 'repaired']);
    const last = reports.at(-1) as GapReport;
    expect(last).toMatchObject({ nick: 'alice', peerId: alice.core.peerId, count: 1, repaired: 1, lost: 0, first: 1, last: 1 });
    expect(last.nacks).toBeGreaterThanOrEqual(1);
    // The marker sits just before "three", whose arrival showed the gap.
    expect(last.order).toBe(bob.shown().find((m) => m.text === 'three')?.order);

    const two = bob.shown().find((m) => m.text === 'two');
    expect(two?.via).toBe('repair');
    expect(bob.shown().find((m) => m.text === 'one')?.via).toBe('live');
    expect(two?.iface).toBe('eth0');

    expect(bob.core.meter(ID).find((m) => m.peerId === alice.core.peerId)).toMatchObject({ received: 4, gaps: 1, repaired: 1, lost: 0, reordered: 0 });
    expect(bob.events.some((e) => e.type === 'meter' && e.peers.some((p) => p.peerId === alice.core.peerId))).toBe(true);
  });

  it('a message that never comes is a marker that ends "lost"', async () => {
    const { net, clock, alice, bob } = await aliceAndBob(ROOM);
    await alice.core.send(ID, 'one');
    net.dropWhen = (data, to) => to.owner === 'bob' && text(data).endsWith('doomed');
    await alice.core.send(ID, 'doomed');
    await alice.core.send(ID, 'three');
    await alice.core.send(ID, 'four');
    await settle(clock, 15_000, 50);
    const reports = bob.events.flatMap((e) => (e.type === 'loss' ? [e.gap] : []));
    expect(reports[0]?.state).toBe('asking');
    expect(reports.at(-1)).toMatchObject({ state: 'lost', lost: 1, repaired: 0 });
    expect(reports.at(-1)?.nacks).toBeGreaterThanOrEqual(10);
    expect(bob.core.meter(ID).find((m) => m.peerId === alice.core.peerId)).toMatchObject({ gaps: 1, lost: 1 });
  });

  it('a message is inspectable: its datagrams as they were on the wire, at the sender and the receiver', async () => {
    const { clock, alice, bob } = await aliceAndBob(ROOM);
    const sent = await alice.core.send(ID, 'look at my bytes');
    await settle(clock, 50);
    const key = `${alice.core.peerId}/${sent.id}`;
    for (const core of [alice.core, bob.core]) {
      const wire = await core.wireOf(ID, key);
      expect(wire).toHaveLength(1);
      const datagram = textOf(Buffer.from(wire?.[0] ?? '', 'base64'));
      expect(datagram.startsWith('MCC2 {"t":"chat"')).toBe(true);
      expect(datagram.endsWith('look at my bytes')).toBe(true);
    }
    expect(await bob.core.wireOf(ID, 'nobody/0000000000000000')).toBeNull();
    expect(sent.iface).toBe('eth0');
  });
});
