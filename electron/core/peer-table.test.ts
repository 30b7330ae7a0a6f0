import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { MAX_ADDRESSES, MAX_PEERS, PeerTable } from './peer-table.js';

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

  it('counts an announced interval for at most a minute: 600 s identities are gone in 3.5 min, not 35', () => {
    const table = new PeerTable(17_500, 5_000);
    table.see({ ...alice, intervalMs: 600_000 }, 0);
    expect(table.expire(3.5 * 60_000 - 1)).toEqual([]);
    expect(table.expire(3.5 * 60_000)).toHaveLength(1);
  });

  it('is bounded: a flood of fresh identities fills it, but never pushes out who is there', () => {
    const table = new PeerTable(17_500, 5_000);
    table.see(alice, 0);
    for (let i = 0; i < MAX_PEERS + 500; i++) table.see({ peerId: i.toString(16).padStart(16, '0'), nick: `bot${i}`, address: '198.18.1.66' }, 1);
    expect(table.list()).toHaveLength(MAX_PEERS);
    expect(table.has(alice.peerId)).toBe(true);
    expect(table.refused).toBe(501);
  });

  it('keeps the newest few addresses of a peer, not every one it was heard from', () => {
    const table = new PeerTable(17_500, 5_000);
    for (let i = 1; i <= 4_000; i++) table.see({ ...alice, address: `198.18.${i >> 8}.${i & 255}` }, i);
    expect(table.list()[0]?.addresses).toHaveLength(MAX_ADDRESSES);
    expect(table.list()[0]?.addresses.at(-1)).toBe('198.18.15.160');
  });

  it('forgets a peer at once when it says goodbye', () => {
    const table = new PeerTable(17_500, 5_000);
    table.see(alice, 0);
    expect(table.bye(alice.peerId)).toMatchObject({ kind: 'left', reason: 'bye' });
    expect(table.bye(alice.peerId)).toBeNull();
  });
});
