import { describe, expect, it } from 'vitest';
import { Admission } from './admission.js';

const hex = (n: number): string => n.toString(16).padStart(16, '0');

describe('Admission', () => {
  it('a flood of fresh verified identities does not push out a real peer that joined just before it', () => {
    const admission = new Admission();
    const real = { peer: 'a'.repeat(16), src: '198.18.1.2:4242' };
    expect(admission.admitUnverified(real.peer, real.src, 0)).toBe(true);
    admission.admitVerified(real.peer, real.src, 0);
    // 1,000 strangers a second (all their shared budget lets through) for 30 s, about twice what the
    // table of recent pairs holds; the real peer announces every 5 s, and each time it must get
    // in without the strangers' budget.
    let stranger = 0;
    for (let ms = 1; ms <= 30_000; ms++) {
      // Three tries a millisecond: more than the budget lets through, so it is always spent.
      for (let k = 0; k < 3; k++) {
        const id = hex(++stranger);
        const src = `198.18.9.9:${1024 + (stranger % 60_000)}`;
        if (admission.admitUnverified(id, src, ms)) admission.admitVerified(id, src, ms);
      }
      if (ms % 5_000 === 0) {
        expect(admission.admitUnverified(real.peer, real.src, ms), `at ${ms} ms`).toBe(true);
        admission.admitVerified(real.peer, real.src, ms);
      }
    }
    // Still verifying a minute after its first: promoted, and 25,000 more strangers (more than
    // both tables hold) cannot push it out either.
    admission.admitVerified(real.peer, real.src, 61_000);
    for (let i = 0; i < 25_000; i++) admission.admitVerified(hex(1_000_000 + i), '198.18.9.8:1', 61_001);
    expect(admission.admitUnverified(real.peer, real.src, 61_002)).toBe(true);
  });

  it('junk from many sources is reported as the worst three and one line for the rest', () => {
    const admission = new Admission({ flood: { rate: 1, burst: 1 }, unverified: { rate: 1, burst: 1 }, strangers: { rate: 1, burst: 1 } });
    for (let port = 0; port < 1_000; port++) for (let i = 0; i < 2 + (port === 7 ? 10 : 0); i++) admission.admitJunk(`198.18.9.9:${port}`, 0);
    const reports = admission.reports();
    expect(reports).toHaveLength(4);
    expect(reports[0]).toEqual({ src: '198.18.9.9:7', peerId: null, dropped: 11 });
    expect(reports[3]).toEqual({ src: '997 other sources', peerId: null, dropped: 997 });
    expect(admission.reports()).toEqual([]);
  });
});
