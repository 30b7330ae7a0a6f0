import { describe, expect, it, vi } from 'vitest';
import { testPeer } from '../../tests/helpers/signed-frames.js';
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
  const frame = testPeer().frame({ t: 'hello', nick: 'ann', app: 'x', ivl: 5_000 });
  const at = new TextDecoder().decode(frame).indexOf('"sig":"') + 7;
  frame[at] = frame[at] === 0x41 ? 0x42 : 0x41;
  return frame;
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

  it('signed frames claiming one key from one source are verified at most at the unverified rate', () => {
    let now = Date.now();
    const admission = new Admission({ flood: { rate: 500, burst: 2_000 }, unverified: { rate: 2_000, burst: 100 } });
    const gate = new FrameGate({ identity: generateIdentity(), replay: new ReplayGuard(), key: null, sess: '0011223344556677', startedAt: now, now: () => now, admission });
    const stranger = testPeer({ startedAt: now });
    verifications.count = 0;
    const verdicts = Array.from({ length: 1_000 }, () => gate.incoming(stranger.frame({ t: 'hello', nick: 'eve', app: 'x', ivl: 5_000 }), '198.18.1.66:40000'));
    expect(verdicts.filter((v) => v.kind === 'refused' && v.by === 'floodDropped')).toHaveLength(900);
    expect(verifications.count).toBe(100);
    now += 1_000;
    expect(admission.reports()).toEqual([{ src: '198.18.1.66:40000', peerId: null, dropped: 900 }]);
  });
});
