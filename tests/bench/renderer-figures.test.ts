import { describe, expect, it } from 'vitest';
import { chromiumMissing } from '../../bench/renderer/app.js';
import { frameStats, refreshInterval } from '../../bench/renderer/frames.js';

const SPEC = { id: 'to-screen', title: 'to the screen p99', unit: 'ms', target: { op: '<=' as const, threshold: 50, text: '<= 50 ms' } };
const frameAt = (n: number): number => Math.round((n * 1000) / 60 * 10) / 10; // 60 Hz, coarsened to 0.1 ms

describe('renderer figures without Chromium', () => {
  it('are skipped locally and an error when Chromium is required', () => {
    expect(chromiumMissing([SPEC], { kind: 'available' })).toBeNull();
    const [skipped] = chromiumMissing([SPEC], { kind: 'skip', reason: 'skipped: needs chromium' }) ?? [];
    expect(skipped).toMatchObject({ id: 'to-screen', status: 'not measured yet', value: null });
    expect(skipped?.note).toMatch(/^skipped: no chromium/);
    const [required] = chromiumMissing([SPEC], { kind: 'required-missing', reason: 'MCCHAT_REQUIRE_CHROMIUM=1 but /usr/bin/chromium does not exist' }) ?? [];
    expect(required).toMatchObject({ id: 'to-screen', status: 'error', value: null });
  });
});

describe('frame statistics', () => {
  it('reads coarsened on-time 60 Hz frames as one refresh interval each', () => {
    const stamps = Array.from({ length: 121 }, (_, i) => 1000 + frameAt(i));
    const refresh = refreshInterval(stamps);
    expect(refresh).toBeCloseTo(1000 / 60, 2);
    const stats = frameStats({ stamps, callbackAt: stamps, loaf: [] }, refresh);
    expect(stats.rawP95).toBeGreaterThan(16.7); // what the raw deltas would say
    expect(stats.p95).toBeCloseTo(1000 / 60, 2);
    expect(stats.droppedPct).toBe(0);
  });

  it('counts frames that missed their deadline as whole intervals', () => {
    // Every tenth frame comes one interval late.
    const frames: number[] = [];
    for (let n = 0, i = 0; i < 100; i++) frames.push(frameAt((n += i % 10 === 9 ? 2 : 1)));
    const stats = frameStats({ stamps: frames, callbackAt: frames, loaf: [] }, 1000 / 60);
    expect(stats.p95).toBeCloseTo(2000 / 60, 2);
    expect(stats.droppedPct).toBeCloseTo((100 * 10) / 109, 0);
  });
});
