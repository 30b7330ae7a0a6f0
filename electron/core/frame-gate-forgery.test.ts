import { describe, expect, it, vi } from 'vitest';
import { testPeer, withForgedSignature } from '../../tests/helpers/signed-frames.js';
import { Admission } from './admission.js';
import { generateIdentity } from './crypto/identity.js';
import { ReplayGuard } from './crypto/replay-guard.js';
import { FrameGate } from './frame-gate.js';

// Counts the Ed25519 verifications the gate asks for (the real function still answers).
const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock('./crypto/identity.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./crypto/identity.js')>();
  return {
    ...real,
    verifySignature: (...args: Parameters<typeof real.verifySignature>) => {
      verifications.count++;
      return real.verifySignature(...args);
    },
  };
});

function forgedHello(): Uint8Array {
  return withForgedSignature(testPeer().frame({ t: 'hello', nick: 'ann', app: 'x', ivl: 5_000 }));
}

describe('FrameGate under forgery', () => {
  it('a forged datagram resent 10,000 times costs one verification', () => {
    const gate = new FrameGate({ identity: generateIdentity(), replay: new ReplayGuard(), key: null, sess: '0011223344556677', startedAt: Date.now(), now: () => Date.now() });
    const forged = forgedHello();
    verifications.count = 0;
    for (let i = 0; i < 10_000; i++) expect(gate.incoming(forged, `198.18.1.66:${40_000 + (i % 64)}`)).toEqual({ kind: 'refused', by: 'badSignature' });
    expect(verifications.count).toBe(1);
    // A genuine frame still verifies.
    expect(gate.incoming(testPeer().frame({ t: 'hello', nick: 'bob', app: 'x', ivl: 5_000 }))).toMatchObject({ kind: 'frame' });
  });

  it('strangers share one verification budget: 1,000 fresh identities on 1,000 ports cost its burst, not 1,000 verifications', () => {
    let now = Date.now();
    const admission = new Admission({ flood: { rate: 500, burst: 2_000 }, unverified: { rate: 2_000, burst: 4_000 }, strangers: { rate: 1_000, burst: 100 } });
    const gate = new FrameGate({ identity: generateIdentity(), replay: new ReplayGuard(), key: null, sess: '0011223344556677', startedAt: now, now: () => now, admission });
    verifications.count = 0;
    const verdicts = Array.from({ length: 1_000 }, (_, i) => gate.incoming(testPeer({ startedAt: now }).frame({ t: 'hello', nick: `bot${i}`, app: 'x', ivl: 5_000 }), `198.18.1.66:${20_000 + i}`));
    expect(verdicts.filter((v) => v.kind === 'refused' && v.by === 'floodDropped')).toHaveLength(900);
    expect(verifications.count).toBe(100);
    // A known peer (verified before from its address) does not wait behind them.
    const alice = testPeer({ startedAt: now });
    admission.admitVerified(alice.peerId, '198.18.1.2:5000', now);
    expect(gate.incoming(alice.frame({ t: 'hello', nick: 'alice', app: 'x', ivl: 5_000 }), '198.18.1.2:5000')).toMatchObject({ kind: 'frame' });
    now += 1_000;
    expect(admission.reports().reduce((sum, r) => sum + r.dropped, 0)).toBe(900);
  });

  it('a stranger whose signatures fail pays for each failure', () => {
    const now = Date.now();
    const admission = new Admission({ flood: { rate: 500, burst: 2_000 }, unverified: { rate: 2_000, burst: 4_000 }, strangers: { rate: 1_000, burst: 200 } });
    const gate = new FrameGate({ identity: generateIdentity(), replay: new ReplayGuard(), key: null, sess: '0011223344556677', startedAt: now, now: () => now, admission });
    verifications.count = 0;
    // Each forged frame different (a fresh random signature), so the failure cache cannot help.
    for (let i = 0; i < 200; i++) gate.incoming(forgedHello(), '198.18.1.66:40000');
    expect(verifications.count).toBeLessThanOrEqual(10);
  });
});
