import { describe, expect, it } from 'vitest';
import { LossDetector, type LossTiming } from './loss-detector.js';

const TIMING: LossTiming = { reorderWaitMs: 60, backoffMs: 40, retryMs: 250, maxTries: 3, maxWindow: 100 };
const noJitter = (): number => 0;

describe('LossDetector', () => {
  it('asks for a gap once two newer messages arrived, and counts the repair', () => {
    const d = new LossDetector(TIMING, noJitter);
    for (const seq of [0, 1, 3, 4]) d.received('p', 's', 'alice', seq, 0);
    expect(d.poll(0)).toEqual([{ peer: 'p', sess: 's', ranges: [[2, 2]] }]);
    d.received('p', 's', 'alice', 2, 10);
    expect(d.missingCount()).toBe(0);
    expect(d.stats).toEqual({ detected: 1, recovered: 1, givenUp: 0, recoveredLate: 0, outOfScope: 0 });
  });

  it('waits for reordering when only one newer message arrived', () => {
    const d = new LossDetector(TIMING, noJitter);
    d.received('p', 's', 'alice', 0, 0);
    d.received('p', 's', 'alice', 2, 0);
    expect(d.poll(59)).toEqual([]);
    d.received('p', 's', 'alice', 1, 30); // it was only late
    expect(d.poll(100)).toEqual([]);
    expect(d.stats.recovered).toBe(1);
  });

  it('starts a stream at the announced next sequence number, so the first message after joining can be repaired', () => {
    const d = new LossDetector(TIMING, noJitter);
    d.lead('p', 's', 'alice', 70, 0); // talking long before we came: 0..69 are history
    d.lead('p', 's', 'alice', 71, 0); // seq 70 was sent and never arrived
    expect(d.poll(0)).toEqual([{ peer: 'p', sess: 's', ranges: [[70, 70]] }]);
  });

  it('a session younger than our join, first heard of by its announcement: all it sent is loss (a one-shot sender)', () => {
    const d = new LossDetector(TIMING, noJitter);
    d.lead('p', 's', 'alice', 3, 0, true); // seqs 0..2 were sent after we joined, we got none
    expect(d.poll(0)).toEqual([{ peer: 'p', sess: 's', ranges: [[0, 2]] }]);
    const old = new LossDetector(TIMING, noJitter);
    old.lead('p', 's', 'alice', 3, 0, false); // older than our join: history, not loss
    expect(old.poll(0)).toEqual([]);
  });

  it('is bounded: one identity announcing 60,000 sessions is followed in its newest 4, the room in at most 4,096 streams', () => {
    const d = new LossDetector(TIMING, noJitter);
    for (let i = 0; i < 60_000; i++) d.lead('p', `s${i}`, 'mallory', 5, i, true);
    expect(d.streamCount).toBe(4);
    for (let i = 0; i < 5_000; i++) d.received(`peer${i}`, 's', 'bot', 0, i);
    expect(d.streamCount).toBe(4_096);
    // Gaps of dropped streams are no longer counted as open.
    expect(d.missingCount()).toBeLessThanOrEqual(4 * 5);
  });

  it('gives up after maxTries and reports one aggregated count per sender', () => {
    const d = new LossDetector(TIMING, noJitter);
    for (const seq of [0, 3, 4, 5]) d.received('p', 's', 'alice', seq, 0);
    let nacks = 0;
    for (let t = 0; t <= 2_000; t += 20) nacks += d.poll(t).length;
    expect(nacks).toBe(TIMING.maxTries);
    expect(d.takeGivenUp()).toEqual([{ peer: 'p', sess: 's', nick: 'alice', count: 2 }]);
    expect(d.takeGivenUp()).toEqual([]);
    expect(d.missingCount()).toBe(0);
  });

  it('a given-up message that arrives after all is new, once', () => {
    const d = new LossDetector(TIMING, noJitter);
    for (const seq of [0, 3, 4, 5]) d.received('p', 's', 'alice', seq, 0);
    for (let t = 0; t <= 2_000; t += 20) d.poll(t);
    expect(d.stats.givenUp).toBe(2);
    expect(d.alreadyHad('p', 's', 1)).toBe(false);
    expect(d.alreadyHad('p', 's', 3)).toBe(true);
    d.received('p', 's', 'alice', 1, 2_100);
    expect(d.alreadyHad('p', 's', 1)).toBe(true); // a second copy is a duplicate
    expect(d.alreadyHad('p', 's', 2)).toBe(false);
    expect(d.stats.recoveredLate).toBe(1);
  });

  it('only spends tries on the gaps a NACK actually names', () => {
    const d = new LossDetector({ ...TIMING, maxWindow: 1_000 }, noJitter);
    // 40 separate gaps: a NACK names at most 32 ranges.
    for (let seq = 0; seq <= 80; seq += 2) d.received('p', 's', 'alice', seq, 0);
    const first = d.poll(0);
    expect(first[0]?.ranges).toHaveLength(32);
    const second = d.poll(1);
    // 79 has one newer message only: it still waits for reordering.
    expect(second[0]?.ranges.map(([a]) => a)).toEqual([65, 67, 69, 71, 73, 75, 77]);
  });

  it('resyncs on a jump beyond the window instead of counting millions of losses', () => {
    const d = new LossDetector(TIMING, noJitter);
    d.received('p', 's', 'alice', 0, 0);
    d.received('p', 's', 'alice', 2, 0);
    d.received('p', 's', 'alice', 4_000_000_000, 0);
    expect(d.missingCount()).toBe(0);
    expect(d.takeGivenUp()).toEqual([{ peer: 'p', sess: 's', nick: 'alice', count: 1 }]);
    d.received('p', 's', 'alice', 4_000_000_001, 0);
    expect(d.poll(1_000)).toEqual([]);
  });

  it('holds its own NACK when another receiver asked for the same gap', () => {
    const d = new LossDetector(TIMING, noJitter);
    for (const seq of [0, 2, 3]) d.received('p', 's', 'alice', seq, 0);
    d.heardNack('p', 's', [[1, 1]], 0);
    expect(d.poll(10)).toEqual([]);
    expect(d.poll(260)).toHaveLength(1);
  });
});

describe('LossDetector under overload', () => {
  it('keeps at most 256 gaps open per sender and reports the rest as given up', () => {
    const d = new LossDetector({ ...TIMING, maxWindow: 100_000 }, noJitter);
    for (let seq = 0; seq < 2_000; seq += 2) d.received('p', 's', 'alice', seq, 0);
    expect(d.missingCount()).toBe(256);
    expect(d.takeGivenUp()).toEqual([{ peer: 'p', sess: 's', nick: 'alice', count: 999 - 256 }]);
    // The newest gaps are the ones still asked for.
    expect(d.poll(0)[0]?.ranges[0]).toEqual([1487, 1487]);
  });
});

describe('LossDetector stream start and muting', () => {
  it('asks for the first messages of a stream first heard live at a small seq', () => {
    const d = new LossDetector(TIMING, noJitter);
    d.received('p', 's', 'alice', 3, 0);
    d.received('p', 's', 'alice', 4, 0);
    expect(d.poll(0)).toEqual([{ peer: 'p', sess: 's', ranges: [[0, 2]] }]);
  });

  it('does not ask again for what came as history before the stream went live', () => {
    const d = new LossDetector(TIMING, noJitter);
    for (const seq of [0, 1, 2]) d.receivedHistoric('p', 's', 'alice', seq, 0);
    d.received('p', 's', 'alice', 3, 0);
    expect(d.missingCount()).toBe(0);
  });

  it('treats a stream heard first at a large seq as one that started before we came', () => {
    const d = new LossDetector(TIMING, noJitter);
    d.received('p', 's', 'alice', 500, 0);
    expect(d.missingCount()).toBe(0);
  });

  it('ignores holes of a muted (flooding) peer and drops its open gaps', () => {
    const d = new LossDetector(TIMING, noJitter);
    for (const seq of [0, 2, 3]) d.received('p', 's', 'flood', seq, 0);
    expect(d.missingCount()).toBe(1);
    d.mute('p', 0, 2_000);
    expect(d.missingCount()).toBe(0);
    d.received('p', 's', 'flood', 50, 10);
    expect(d.missingCount()).toBe(0);
    expect(d.takeGivenUp()).toEqual([]);
    // Once the mute ends, holes are loss again.
    d.received('p', 's', 'flood', 53, 3_000);
    expect(d.missingCount()).toBe(2);
  });
});
