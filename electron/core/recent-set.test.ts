import { describe, expect, it } from 'vitest';
import { Reassembler } from './reassembly.js';
import { RecentSet } from './recent-set.js';

describe('duplicate filter', () => {
  it('flags a key seen inside the window and forgets it after', () => {
    const seen = new RecentSet(250, 100);
    expect(seen.checkAndAdd('a', 0)).toBe(false);
    expect(seen.checkAndAdd('a', 249)).toBe(true);
    expect(seen.checkAndAdd('a', 250)).toBe(false);
  });

  it('stays bounded under a flood of distinct keys', () => {
    const seen = new RecentSet(60_000, 1000);
    for (let i = 0; i < 10_000; i++) seen.checkAndAdd(`k${i}`, i);
    expect(seen.size).toBe(1000);
    expect(seen.checkAndAdd('k9999', 10_000)).toBe(true);
  });
});

describe('fragment reassembly', () => {
  it('joins fragments arriving in any order, once', () => {
    const r = new Reassembler(10_000, 10);
    const d = (n: number) => new Uint8Array(10).fill(n);
    expect(r.add('m', 2, 3, 'c', d(2), 0)).toBeNull();
    expect(r.add('m', 0, 3, 'a', d(0), 1)).toBeNull();
    expect(r.add('m', 0, 3, 'a', d(0), 1)).toBeNull();
    expect(r.add('m', 1, 3, 'b', d(1), 2)).toEqual({ text: 'abc', datagrams: [d(0), d(1), d(2)], fragments: 3, bytes: 30 });
    expect(r.size).toBe(0);
  });

  it('expires incomplete messages and counts them', () => {
    const r = new Reassembler(10_000, 10);
    r.add('m', 0, 2, 'a', new Uint8Array(10), 0);
    expect(r.expire(9_999)).toBe(0);
    expect(r.expire(10_000)).toBe(1);
    expect(r.add('m', 1, 2, 'b', new Uint8Array(10), 10_001)).toBeNull();
  });

  it('ignores a fragment that disagrees on the count, and bounds pending messages', () => {
    const r = new Reassembler(10_000, 2);
    r.add('m', 0, 2, 'a', new Uint8Array(10), 0);
    expect(r.add('m', 1, 3, 'b', new Uint8Array(10), 0)).toBeNull();
    r.add('n', 0, 2, 'a', new Uint8Array(10), 0);
    r.add('o', 0, 2, 'a', new Uint8Array(10), 0);
    expect(r.size).toBe(2);
  });
});
