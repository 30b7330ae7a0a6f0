import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, nonceOf, toBase64Url } from './envelope.js';

describe('envelope helpers', () => {
  it('base64url round-trips any bytes, and agrees with Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses text that is not base64url', () => {
    for (const bad of ['ab+c', 'ab/c', 'abc=', 'a', 'ü']) expect(fromBase64Url(bad)).toBeNull();
  });

  it('puts the session then the big-endian counter in the nonce', () => {
    expect(Buffer.from(nonceOf('0011223344556677', 0x01020304)).toString('hex')).toBe('001122334455667701020304');
  });
});
