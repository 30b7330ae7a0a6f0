import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, generateIdentity, identityFromSeed, peerIdOf, verifySignature } from './identity.js';

const data = new TextEncoder().encode('MCC2 {"t":"chat"}\nhello');

describe('identity', () => {
  it('signs, and the signature verifies against its public key only', () => {
    const alice = generateIdentity();
    const bob = generateIdentity();
    const sig = alice.sign(data);
    expect(alice.publicKey).toHaveLength(32);
    expect(sig).toHaveLength(64);
    expect(verifySignature(alice.publicKey, data, sig)).toBe(true);
    expect(verifySignature(bob.publicKey, data, sig)).toBe(false);
  });

  it('rejects any flipped bit of the data or the signature', () => {
    const alice = generateIdentity();
    const sig = alice.sign(data);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean(), (at, bit, inSig) => {
        const target = inSig ? sig.slice() : data.slice();
        target[at % target.length]! ^= 1 << bit;
        return inSig ? !verifySignature(alice.publicKey, data, target) : !verifySignature(alice.publicKey, target, sig);
      }),
      { numRuns: 300 },
    );
  });

  it('says false, never throws, for malformed keys and signatures', () => {
    const alice = generateIdentity();
    const sig = alice.sign(data);
    const junk = [new Uint8Array(0), new Uint8Array(31), new Uint8Array(33), new Uint8Array(64), new Uint8Array(32).fill(0xff)];
    for (const key of junk) expect(verifySignature(key, data, sig)).toBe(false);
    for (const bad of [new Uint8Array(0), new Uint8Array(63), new Uint8Array(65), new Uint8Array(64)]) {
      expect(verifySignature(alice.publicKey, data, bad)).toBe(false);
    }
    // Wrong types from an untyped caller.
    expect(verifySignature(null as unknown as Uint8Array, data, sig)).toBe(false);
    expect(verifySignature(alice.publicKey, 'x' as unknown as Uint8Array, sig)).toBe(false);
    expect(verifySignature(alice.publicKey, data, [1, 2] as unknown as Uint8Array)).toBe(false);
    // Random 32-byte keys: mostly not points on the curve, never a valid signer of `sig`.
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => !verifySignature(key, data, sig)), { numRuns: 200 });
  });

  it('round-trips through its seed', () => {
    const alice = generateIdentity();
    const seed = alice.exportSeed();
    expect(seed).toHaveLength(32);
    const again = identityFromSeed(seed);
    expect(again.publicKey).toEqual(alice.publicKey);
    expect(again.peerId).toBe(alice.peerId);
    expect(verifySignature(alice.publicKey, data, again.sign(data))).toBe(true);
    // Ed25519 signatures are deterministic: the same key signs the same bytes identically.
    expect(again.sign(data)).toEqual(alice.sign(data));
  });

  it('interoperates with keys made by node:crypto itself', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    expect(verifySignature(new Uint8Array(raw), data, new Uint8Array(sign(null, data, privateKey)))).toBe(true);
    const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    expect(identityFromSeed(seed).publicKey).toEqual(new Uint8Array(raw));
  });

  it('refuses a seed of the wrong length with a clear error', () => {
    expect(() => identityFromSeed(new Uint8Array(31))).toThrow(/32 bytes; got 31 bytes/);
    expect(() => identityFromSeed(new Uint8Array(33))).toThrow(/32 bytes/);
    expect(() => identityFromSeed('seed' as unknown as Uint8Array)).toThrow(/32 bytes; got string/);
  });

  it('hands out copies: changing them changes nothing', () => {
    const alice = generateIdentity();
    const pk = alice.publicKey;
    pk.fill(0);
    expect(alice.publicKey).not.toEqual(pk);
    expect(alice.peerId).toBe(peerIdOf(alice.publicKey));
  });
});

describe('peer ids and fingerprints', () => {
  it('are the first 8 bytes of SHA-256 of the key, as hex and in groups of 4', () => {
    // SHA-256 of 32 zero bytes is 66687aadf862bd776c8fc18b8e9f8e20…
    const zero = new Uint8Array(32);
    expect(peerIdOf(zero)).toBe('66687aadf862bd77');
    expect(fingerprintOf(zero)).toBe('6668 7aad f862 bd77');
  });

  it('have the fixed format for any key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        expect(peerIdOf(key)).toMatch(/^[0-9a-f]{16}$/);
        expect(fingerprintOf(key)).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
        expect(fingerprintOf(key).replaceAll(' ', '')).toBe(peerIdOf(key));
      }),
    );
  });

  it('differ between identities', () => {
    const ids = new Set(Array.from({ length: 50 }, () => generateIdentity().peerId));
    expect(ids.size).toBe(50);
  });
});
