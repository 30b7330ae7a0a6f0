import { describe, expect, it } from 'vitest';
import { emptyCounters, type RoomCounters } from '../../shared/events.js';
import { room } from '../test-helpers.js';
import { resetCounters } from './actions.js';
import { countersSince } from './counter-baseline.js';
import { applyCoreEvents } from './ingest.js';
import { useChatStore } from './store.js';
import { currentRate, nextTraffic, rateSeries } from './traffic-rates.js';
import type { TrafficHistory } from './traffic-slice.js';

const counters = (c: Partial<RoomCounters>): RoomCounters => ({ ...emptyCounters(), ...c });

/** Counters events as they arrive, each at its time: the store's rates follow. */
function arrive(steps: readonly [at: number, c: Partial<RoomCounters>][]): TrafficHistory | undefined {
  useChatStore.setState((s) => applyCoreEvents(s, [{ type: 'room', room: room() }]));
  for (const [at, c] of steps) useChatStore.setState((s) => applyCoreEvents(s, [{ type: 'counters', roomId: 'r1', counters: counters(c) }], at));
  return useChatStore.getState().rooms.r1?.traffic;
}

describe('rates from counters events', () => {
  it('are the difference between consecutive events over the time between their arrivals', () => {
    const t = arrive([
      [10_000, { datagramsIn: 100, bytesIn: 10_000 }],
      [11_000, { datagramsIn: 150, bytesIn: 15_000, datagramsOut: 2, bytesOut: 300 }],
      [11_500, { datagramsIn: 160, bytesIn: 16_000, datagramsOut: 2, bytesOut: 300 }],
    ]);
    expect(t?.samples.map((s) => [s.at, s.datagramsIn, s.bytesIn, s.datagramsOut, s.bytesOut])).toEqual([
      [11_000, 50, 5_000, 2, 300],
      [11_500, 20, 2_000, 0, 0],
    ]);
    expect(currentRate(t, 'datagramsIn', 12_000)).toBe(20);
  });

  it('after a quiet spell (no events: nothing changed) count the change within the last second, and read zero while quiet', () => {
    const t = arrive([
      [0, { datagramsIn: 10 }],
      [30_000, { datagramsIn: 13 }],
    ]);
    expect(t?.samples.map((s) => s.datagramsIn)).toEqual([3]);
    expect(currentRate(t, 'datagramsIn', 31_000)).toBe(3);
    expect(currentRate(t, 'datagramsIn', 33_000)).toBe(0);
  });

  it('measure two events of one batch together, and a room joined afresh from zero, not negative', () => {
    let t = nextTraffic(undefined, counters({ datagramsIn: 5 }), 0);
    t = nextTraffic(t, counters({ datagramsIn: 6 }), 1_000);
    t = nextTraffic(t, counters({ datagramsIn: 8 }), 1_050);
    expect(t.samples).toHaveLength(1);
    t = nextTraffic(t, counters({ datagramsIn: 9 }), 2_000);
    expect(t.samples.map((s) => s.datagramsIn)).toEqual([1, 3]);
    t = nextTraffic(t, counters({ datagramsIn: 1 }), 3_000);
    expect(t.samples.at(-1)?.datagramsIn).toBe(0);
  });

  it('keep about a minute, one value per second for the graph, zero where nothing came', () => {
    let t = nextTraffic(undefined, counters({}), 0);
    for (let s = 1; s <= 90; s++) t = nextTraffic(t, counters({ bytesOut: s * 100 }), s * 1_000);
    expect(t.samples.length).toBeLessThanOrEqual(61);
    const series = rateSeries(t, 'bytesOut', 90_500);
    expect(series).toHaveLength(60);
    expect(series.every((v) => v === 100)).toBe(true);
    // Ten seconds later the last ten values are zero.
    expect(rateSeries(t, 'bytesOut', 100_500).slice(-10)).toEqual(new Array(10).fill(0));
  });
});

describe('reset', () => {
  it('counts from the moment of the reset in the window, the core keeps its totals', () => {
    arrive([[1_000, { datagramsIn: 40, badSignature: 2 }]]);
    resetCounters('r1', 5_000);
    const base = useChatStore.getState().rooms.r1?.baseline;
    expect(base?.at).toBe(5_000);
    arrive([[6_000, { datagramsIn: 45, badSignature: 2 }]]);
    const now = useChatStore.getState().rooms.r1?.counters as RoomCounters;
    expect(now.datagramsIn).toBe(45);
    expect(countersSince(now, useChatStore.getState().rooms.r1?.baseline?.counters)).toMatchObject({ datagramsIn: 5, badSignature: 0 });
  });
});
