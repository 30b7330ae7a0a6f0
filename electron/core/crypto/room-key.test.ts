import { scryptSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveRoomKey, nonceFor, ROOM_KEY_KDF, roomKeyFromBytes, roomSalt } from './room-key.js';

const FAST = { N: 2 ** 10 };
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const nonce12 = fc.uint8Array({ minLength: 12, maxLength: 12 });

describe('room key: AES-256-GCM', () => {
  it('matches the GCM specification test vector (test case 16: 256-bit key, AAD)', () => {
    const key = roomKeyFromBytes(hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308'));
    const nonce = hex('cafebabefacedbaddecaf888');
    const aad = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
    const plain = hex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39');
    const sealed = key.seal(nonce, aad, plain);
    expect(Buffer.from(sealed).toString('hex')).toBe(
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662' +
        '76fc6ece0f4e1768cddf8853bb2d551b',
    );
    expect(key.open(nonce, aad, sealed)).toEqual(plain);
  });

  it('opens what it sealed, for any plaintext, aad and nonce', () => {
    fc.assert(
      fc.property(key32, nonce12, fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 1300 }), (k, nonce, aad, plain) => {
        const key = roomKeyFromBytes(k);
        const sealed = key.seal(nonce, aad, plain);
        expect(sealed).toHaveLength(plain.length + 16);
        expect(key.open(nonce, aad, sealed)).toEqual(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any single changed byte of the aad, the nonce or the sealed bytes', () => {
    const parts = fc.constantFrom('aad' as const, 'nonce' as const, 'sealed' as const);
    fc.assert(
      fc.property(
        key32,
        nonce12,
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.uint8Array({ maxLength: 300 }),
        parts,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (k, nonce, aad, plain, part, at, delta) => {
          const key = roomKeyFromBytes(k);
          const sealed = key.seal(nonce, aad, plain);
          const inputs = { aad: aad.slice(), nonce: nonce.slice(), sealed: sealed.slice() };
          const target = inputs[part];
          const i = at % target.length;
          target[i] = (target[i]! + delta) & 0xff; // always a different byte
          expect(key.open(inputs.nonce, inputs.aad, inputs.sealed)).toBeNull();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses truncated, extended and malformed input without throwing', () => {
    const key = roomKeyFromBytes(new Uint8Array(32).fill(7));
    const nonce = nonceFor('0123456789abcdef', 1);
    const aad = new TextEncoder().encode('header');
    const sealed = key.seal(nonce, aad, new TextEncoder().encode('hello'));
    for (let n = 0; n < sealed.length; n++) expect(key.open(nonce, aad, sealed.subarray(0, n))).toBeNull();
    expect(key.open(nonce, aad, new Uint8Array([...sealed, 0]))).toBeNull();
    expect(key.open(nonce.subarray(0, 11), aad, sealed)).toBeNull();
    expect(key.open(new Uint8Array(13), aad, sealed)).toBeNull();
    expect(key.open(null as unknown as Uint8Array, aad, sealed)).toBeNull();
    expect(key.open(nonce, aad, 'x' as unknown as Uint8Array)).toBeNull();
    expect(key.open(nonce, 42 as unknown as Uint8Array, sealed)).toBeNull();
    expect(() => key.seal(new Uint8Array(8), aad, sealed)).toThrow(/12 bytes/);
  });

  it('refuses what another key sealed', () => {
    fc.assert(
      fc.property(key32, key32, nonce12, fc.uint8Array({ maxLength: 100 }), (a, b, nonce, plain) => {
        fc.pre(Buffer.compare(a, b) !== 0);
        const sealed = roomKeyFromBytes(a).seal(nonce, new Uint8Array(0), plain);
        expect(roomKeyFromBytes(b).open(nonce, new Uint8Array(0), sealed)).toBeNull();
      }),
    );
  });

  it('has a stable 8-hex id that differs between keys, and exports its bytes', () => {
    const bytes = new Uint8Array(32).fill(1);
    const a = roomKeyFromBytes(bytes);
    expect(a.id).toMatch(/^[0-9a-f]{8}$/);
    expect(roomKeyFromBytes(bytes).id).toBe(a.id);
    expect(a.exportBytes()).toEqual(bytes);
    const ids = new Set(Array.from({ length: 200 }, (_, i) => roomKeyFromBytes(new Uint8Array(32).fill(i)).id));
    expect(ids.size).toBe(200);
    expect(() => roomKeyFromBytes(new Uint8Array(16))).toThrow(/32 bytes; got 16 bytes/);
  });
});

describe('room key: derivation from a passphrase', () => {
  it('is deterministic per passphrase and room, different for another room or passphrase', async () => {
    const a = await deriveRoomKey('correct horse battery staple', '239.255.42.99', 4242, FAST);
    const again = await deriveRoomKey('correct horse battery staple', '239.255.42.99', 4242, FAST);
    expect(again.exportBytes()).toEqual(a.exportBytes());
    expect(again.id).toBe(a.id);
    const others = await Promise.all([
      deriveRoomKey('correct horse battery staple', '239.255.42.98', 4242, FAST),
      deriveRoomKey('correct horse battery staple', '239.255.42.99', 4243, FAST),
      deriveRoomKey('correct horse battery stapl', '239.255.42.99', 4242, FAST),
      deriveRoomKey('correct horse battery staple', '239.255.42.99', 4242, { N: 2 ** 11 }),
    ]);
    for (const other of others) expect(other.id).not.toBe(a.id);
  });

  it('normalises the passphrase to NFC (ü typed composed or decomposed is one passphrase)', async () => {
    const composed = await deriveRoomKey('gr\u00fcne Wiese am See', '239.1.2.3', 5000, FAST);
    const decomposed = await deriveRoomKey('gru\u0308ne Wiese am See', '239.1.2.3', 5000, FAST);
    expect(decomposed.id).toBe(composed.id);
  });

  it('binds the salt to the room', () => {
    expect(roomSalt('239.255.42.99', 4242).toString('utf8')).toBe('multicast-chat room key v1\u0000239.255.42.99:4242');
  });

  it('refuses an empty passphrase, a bad port and a bad cost', async () => {
    await expect(deriveRoomKey('', '239.1.2.3', 5000, FAST)).rejects.toThrow(/empty/);
    await expect(deriveRoomKey('x'.repeat(20), '239.1.2.3', 0, FAST)).rejects.toThrow(/port/);
    await expect(deriveRoomKey('x'.repeat(20), '239.1.2.3', 5000, { N: 1000 })).rejects.toThrow(/power of two/);
  });

  it('uses the protocol parameters (scrypt N=2^17, r=8, p=1, 32 bytes) and reports the cost', async () => {
    expect(ROOM_KEY_KDF).toEqual({ N: 131_072, r: 8, p: 1, keyLength: 32, maxmem: 268_435_456 });
    const start = performance.now();
    const key = await deriveRoomKey('Tr0ub4dor & 3 more words', '239.255.42.99', 4242);
    const ms = performance.now() - start;
    console.log(`[crypto cost] scrypt room key derivation (N=2^17, r=8, p=1): ${ms.toFixed(0)} ms`);
    // Independently: the same bytes as node's scrypt called with the literal parameters.
    const expected = scryptSync('Tr0ub4dor & 3 more words', 'multicast-chat room key v1\u0000239.255.42.99:4242', 32, {
      N: 131_072,
      r: 8,
      p: 1,
      maxmem: 256 * 1024 * 1024,
    });
    expect(key.exportBytes()).toEqual(new Uint8Array(expected));
  });
});

describe('nonces', () => {
  it('are the 8 session bytes then the counter big-endian', () => {
    expect(Buffer.from(nonceFor('0123456789abcdef', 0x01020304)).toString('hex')).toBe('0123456789abcdef01020304');
    expect(Buffer.from(nonceFor('ffffffffffffffff', 0xffff_ffff)).toString('hex')).toBe('ffffffffffffffffffffffff');
    expect(Buffer.from(nonceFor('0000000000000000', 0)).toString('hex')).toBe('000000000000000000000000');
  });

  it('never repeat across distinct (session, counter) pairs', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{16}$/), fc.stringMatching(/^[0-9a-f]{16}$/), fc.nat(0xffff_ffff), fc.nat(0xffff_ffff), (s1, s2, c1, c2) => {
        fc.pre(s1 !== s2 || c1 !== c2);
        expect(nonceFor(s1, c1)).not.toEqual(nonceFor(s2, c2));
      }),
    );
  });

  it('refuse a malformed session or counter', () => {
    expect(() => nonceFor('0123', 1)).toThrow(/16 lowercase hex/);
    expect(() => nonceFor('0123456789ABCDEF', 1)).toThrow(/16 lowercase hex/);
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) expect(() => nonceFor('0123456789abcdef', bad)).toThrow(/uint32/);
  });
});
