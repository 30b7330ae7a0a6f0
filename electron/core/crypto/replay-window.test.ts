import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPLAY_WINDOW_SIZE, ReplayWindow } from './replay-window.js';

const W = REPLAY_WINDOW_SIZE;

/** The specification: the set of accepted counters, and "too old" below highest - W. */
class Model {
  private readonly accepted = new Set<number>();
  private highest = -1;

  constructor(private readonly w: number) {}

  check(n: number): 'ok' | 'replay' | 'too-old' {
    if (this.highest >= 0 && n <= this.highest - this.w) return 'too-old';
    return this.accepted.has(n) ? 'replay' : 'ok';
  }

  accept(n: number): void {
    if (this.check(n) !== 'ok') return;
    this.accepted.add(n);
    this.highest = Math.max(this.highest, n);
  }
}

describe('replay window', () => {
  it.each([W, 64])('agrees with the simple model over random sequences (W=%i)', (size) => {
    // Counters mostly climbing with jitter and jumps, plus exact repeats: what a lossy, reordering
    // network and an attacker replaying captures produce together.
    const step = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: -40, max: 40 }) },
      { weight: 2, arbitrary: fc.integer({ min: -1500, max: 1500 }) },
      { weight: 1, arbitrary: fc.integer({ min: -5000, max: 5000 }) },
      { weight: 2, arbitrary: fc.constant(0) },
    );
    fc.assert(
      fc.property(fc.nat(0xffff_ffff), fc.array(fc.tuple(step, fc.boolean()), { maxLength: 600 }), (start, steps) => {
        const window = new ReplayWindow(size);
        const model = new Model(size);
        let n = start;
        for (const [delta, accept] of steps) {
          n = Math.min(0xffff_ffff, Math.max(0, n + delta));
          expect(window.check(n)).toBe(model.check(n));
          if (accept) {
            window.accept(n);
            model.accept(n);
          }
        }
        // After the run, every counter around the top agrees too.
        const disagreements: number[] = [];
        for (let k = Math.max(0, n - size - 20); k <= Math.min(0xffff_ffff, n + 20); k++) if (window.check(k) !== model.check(k)) disagreements.push(k);
        expect(disagreements).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('lets each counter through once, in any order within the window', () => {
    const window = new ReplayWindow();
    const order = Array.from({ length: W - 1 }, (_, i) => i).reverse();
    window.accept(W + 10);
    for (const k of order) {
      const n = k + 11;
      expect(window.check(n)).toBe('ok');
      window.accept(n);
      expect(window.check(n)).toBe('replay');
    }
    expect(window.check(10)).toBe('too-old');
  });

  it('refuses a size that is not a positive multiple of 32', () => {
    for (const bad of [0, 16, 100, 1.5]) expect(() => new ReplayWindow(bad)).toThrow(RangeError);
  });

  it('check changes nothing', () => {
    const window = new ReplayWindow();
    for (let i = 0; i < 10; i++) expect(window.check(5)).toBe('ok');
    expect(window.highestAccepted).toBe(-1);
  });

  it('handles the top of the counter range and refuses non-uint32 counters', () => {
    const window = new ReplayWindow();
    window.accept(0xffff_ffff);
    expect(window.check(0xffff_ffff)).toBe('replay');
    expect(window.check(0xffff_fffe)).toBe('ok');
    expect(window.check(0xffff_ffff - W)).toBe('too-old');
    for (const bad of [-1, 2 ** 32, 0.5, Number.NaN, Infinity]) expect(window.check(bad)).toBe('too-old');
  });

  it('seenUpTo treats everything up to n as already seen', () => {
    const window = ReplayWindow.seenUpTo(5000);
    expect(window.check(5000)).toBe('replay');
    expect(window.check(4000)).toBe('replay');
    expect(window.check(5000 - W)).toBe('too-old');
    expect(window.check(5001)).toBe('ok');
    window.accept(5003);
    expect(window.check(5001)).toBe('ok');
    expect(window.check(5003)).toBe('replay');
  });
});
