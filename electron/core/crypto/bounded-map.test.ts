import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.js';

describe('bounded map', () => {
  it('evicts the least recently used entry, and peek does not count as use', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1); // a is now the most recent
    expect(map.set('c', 3)).toEqual(['b', 2]);
    expect(map.peek('a')).toBe(1);
    expect(map.set('d', 4)).toEqual(['a', 1]);
    expect([...map]).toEqual([
      ['c', 3],
      ['d', 4],
    ]);
    expect(map.size).toBe(2);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });
});
