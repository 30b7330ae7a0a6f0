import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { PeerTable } from './peer-table.js';

describe('presence', () => {
  const alice = { peerId: 'aaaaaaaaaaaaaaaa', nick: 'alice', address: '198.18.1.2' };

  it('reports a new peer once, then only real changes', () => {
    const table = new PeerTable(17_500, 5_000);
    expect(table.see(alice, 0)?.kind).toBe('joined');
    expect(table.see(alice, 1000)).toBeNull();
    expect(table.see({ ...alice, nick: 'alice2' }, 2000)).toMatchObject({ kind: 'updated', peer: { nick: 'alice2' } });
  });

  it('keeps one peer with two addresses (a host with two NICs is one user)', () => {
    const table = new PeerTable(17_500, 5_000);
    table.see(alice, 0);
    table.see({ ...alice, address: '198.18.2.2' }, 1);
    expect(table.list()).toHaveLength(1);
    expect(table.list()[0]?.addresses).toEqual(['198.18.1.2', '198.18.2.2']);
  });

  it('times a silent peer out on a fake clock, not before', () => {
    const clock = new FakeClock(0);
    const table = new PeerTable(17_500, 5_000);
    table.see(alice, clock.now());
    clock.advance(17_499);
    expect(table.expire(clock.now())).toEqual([]);
    clock.advance(1);
    expect(table.expire(clock.now())).toMatchObject([{ kind: 'left', reason: 'timeout', peer: { nick: 'alice' } }]);
    expect(table.has(alice.peerId)).toBe(false);
  });

  it('scales the timeout to the interval the peer announced', () => {
    const table = new PeerTable(17_500, 5_000);
    table.see({ ...alice, intervalMs: 20_000 }, 0);
    expect(table.expire(60_000)).toEqual([]);
    expect(table.expire(70_000)).toHaveLength(1);
  });

  it('forgets a peer at once when it says goodbye', () => {
    const table = new PeerTable(17_500, 5_000);
    table.see(alice, 0);
    expect(table.bye(alice.peerId)).toMatchObject({ kind: 'left', reason: 'bye' });
    expect(table.bye(alice.peerId)).toBeNull();
  });
});
