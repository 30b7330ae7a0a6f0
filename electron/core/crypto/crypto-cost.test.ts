/**
 * What the crypto costs per message, for the security notes: median of a few thousand runs.
 * Printed, not asserted tightly (machines differ); the bounds only catch a broken build.
 */
import { describe, expect, it } from 'vitest';
import { generateIdentity, verifySignature } from './identity.js';
import { nonceFor, roomKeyFromBytes } from './room-key.js';

function medianMicros(runs: number, fn: (i: number) => void): number {
  for (let i = 0; i < 200; i++) fn(i); // warm up (JIT, OpenSSL contexts)
  const samples = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn(i);
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  samples.sort();
  return samples[runs >> 1]!;
}

describe('crypto cost per message', () => {
  it('measures seal+open of 200 bytes, sign and verify', () => {
    const key = roomKeyFromBytes(new Uint8Array(32).fill(3));
    const aad = new TextEncoder().encode('MCC2 {"t":"chat","peer":"3f9c2a7d41b8e605","nick":"alice","sess":"a1b2c3d4e5f60718","seq":0,"n":0}');
    const plain = new Uint8Array(200).fill(0x61);
    const sess = '0123456789abcdef';
    const alice = generateIdentity();
    const frame = new Uint8Array(aad.length + 216).fill(7);
    const signature = alice.sign(frame);
    const publicKey = alice.publicKey;

    const runs = 5000;
    const sealOpen = medianMicros(runs, (i) => {
      const nonce = nonceFor(sess, i);
      if (key.open(nonce, aad, key.seal(nonce, aad, plain)) === null) throw new Error('round trip failed');
    });
    const nonce0 = nonceFor(sess, 0);
    const sealed = key.seal(nonce0, aad, plain);
    const sealUs = medianMicros(runs, (i) => key.seal(nonceFor(sess, i), aad, plain));
    const openUs = medianMicros(runs, () => {
      if (key.open(nonce0, aad, sealed) === null) throw new Error('open failed');
    });
    const signUs = medianMicros(runs, () => alice.sign(frame));
    const verifyUs = medianMicros(runs, () => {
      if (!verifySignature(publicKey, frame, signature)) throw new Error('verify failed');
    });
    const results = {
      'seal+open 200 B (AES-256-GCM)': sealOpen,
      'seal 200 B (with nonceFor)': sealUs,
      'open 200 B': openUs,
      'sign (Ed25519)': signUs,
      'verify (Ed25519, cached key)': verifyUs,
    };
    for (const [what, us] of Object.entries(results)) console.log(`[crypto cost] ${what}: ${us.toFixed(1)} µs median of ${runs}`);
    console.log(`[crypto cost] per message: sender seal+sign ≈ ${(sealUs + signUs).toFixed(0)} µs, receiver open+verify ≈ ${(openUs + verifyUs).toFixed(0)} µs`);
    for (const us of Object.values(results)) expect(us).toBeLessThan(5000);
  });
});
