import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, fromBase64UrlBytes, nonceOf, toBase64Url } from './envelope.js';

describe('envelope helpers', () => {
  it('base64url round-trips any bytes, and matches RFC 4648 test vectors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
      }),
    );
    const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
    for (const [plain, encoded] of [['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']] as const) {
      expect(toBase64Url(ascii(plain))).toBe(encoded);
      expect(fromBase64Url(encoded)).toEqual(ascii(plain));
    }
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
  });

  it('refuses text that is not base64url, or not its one spelling (bits past the last byte set)', () => {
    for (const bad of ['ab+c', 'ab/c', 'abc=', 'a', 'ü', 'Zh', 'Zm9']) expect(fromBase64Url(bad)).toBeNull();
  });

  it('reads base64url where it lies in a datagram, as the text version does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (bytes, before, after) => {
        const text = new TextEncoder().encode(toBase64Url(bytes));
        const datagram = Uint8Array.from([...before, ...text, ...after]);
        expect(fromBase64UrlBytes(datagram, before.length, before.length + text.length)).toEqual(bytes);
      }),
    );
    for (const bad of ['ab+c', 'abc=', 'a', 'Zh', 'ü']) {
      const encoded = new TextEncoder().encode(bad);
      expect(fromBase64UrlBytes(encoded, 0, encoded.length)).toBeNull();
    }
  });

  it('puts the session then the big-endian counter in the nonce', () => {
    expect([...nonceOf('0011223344556677', 0x01020304)]).toEqual([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 1, 2, 3, 4]);
  });
});
