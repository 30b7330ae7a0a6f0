import { describe, expect, it } from 'vitest';
import { delivery, inDisplayOrder, orderAgreement, perSenderOrder, shownMoreThanOnce, type Shown } from './analysis.js';

const shown = (id: string, peerId: string, seq: number, order?: string): Shown => ({ id, peerId, seq, text: id, ...(order ? { order } : {}) });

describe('lab analysis', () => {
  it('delivery counts delivered, missing and shown twice', () => {
    const sent = [0, 1, 2, 3].map((i) => ({ id: `m${i}`, seq: i, i }));
    const result = delivery(sent, [shown('m0', 'p', 0), shown('m2', 'p', 2), shown('m2', 'p', 2), shown('other', 'q', 0)]);
    expect(result).toMatchObject({ sent: 4, delivered: 2, deliveryRate: 0.5, missing: ['m1', 'm3'], missingCount: 2, shownTwice: 1 });
    expect(shownMoreThanOnce([shown('m2', 'p', 2), shown('m2', 'p', 2)])).toEqual(new Map([['m2', 2]]));
  });

  it('perSenderOrder counts descents per sender only', () => {
    const report = perSenderOrder([shown('a', 'p', 0), shown('b', 'q', 5), shown('c', 'p', 3), shown('d', 'p', 1), shown('e', 'p', 2), shown('f', 'q', 6)]);
    expect(report.find((r) => r.peerId === 'p')).toMatchObject({ shown: 4, descents: 2, descentDepth: 3, examples: [[3, 1], [3, 2]] });
    expect(report.find((r) => r.peerId === 'q')).toMatchObject({ shown: 2, descents: 0 });
  });

  it('orderAgreement finds where two receivers part', () => {
    const first = [shown('a', 'p', 0), shown('b', 'p', 1), shown('c', 'q', 0)];
    expect(orderAgreement(first, [...first])).toEqual({ common: 3, inversions: 0, firstDifference: null });
    expect(orderAgreement(first, [first[0], first[2], first[1]] as Shown[])).toEqual({ common: 3, inversions: 1, firstDifference: 'c' });
  });

  it('inDisplayOrder sorts by the order key and keeps the first copy', () => {
    const ordered = inDisplayOrder([shown('b', 'p', 1, 'k2'), shown('a', 'p', 0, 'k1'), shown('b', 'p', 1, 'k2')]);
    expect(ordered.map((m) => m.id)).toEqual(['a', 'b']);
  });
});
