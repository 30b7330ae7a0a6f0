import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodingsOf, headerOf } from './capture-tools.js';

/** The capture test's "not in the capture" is only as good as these searches: check they find what they look for. */
describe('capture search helpers', () => {
  const text = 'secret-marker-0123456789abcdef';

  it('finds the text in every form it checks, at any offset among other bytes', () => {
    const forms = encodingsOf(text);
    expect(forms.map((f) => f.form)).toEqual(expect.arrayContaining(['utf-8', 'utf-16le', 'utf-16be', 'hex', 'HEX', 'base64+0', 'base64+1', 'base64+2', 'base64url+0']));
    const utf8 = Buffer.from(text, 'utf8');
    for (let shift = 0; shift < 6; shift++) {
      const noise = randomBytes(shift);
      const carriers = [
        Buffer.concat([noise, utf8, randomBytes(3)]),
        Buffer.concat([noise, Buffer.from(text, 'utf16le')]),
        Buffer.concat([noise, Buffer.from(text, 'utf16le').swap16()]),
        Buffer.from(`${noise.toString('hex')}${utf8.toString('hex')}`, 'latin1'),
        Buffer.from(Buffer.concat([noise, utf8, randomBytes(2)]).toString('base64'), 'latin1'),
        Buffer.from(Buffer.concat([noise, utf8]).toString('base64url'), 'latin1'),
      ];
      for (const carrier of carriers) {
        expect(forms.some((f) => carrier.includes(f.bytes)), `shift ${shift}: ${carrier.toString('latin1')}`).toBe(true);
      }
    }
  });

  it('does not find it in random bytes', () => {
    const haystack = randomBytes(1 << 16);
    expect(encodingsOf(text).filter((f) => haystack.includes(f.bytes))).toEqual([]);
  });

  it('reads the clear header of our frames and nothing else', () => {
    const sealed = Buffer.concat([Buffer.from('MCC2 {"t":"enc","peer":"0123456789abcdef"}\n'), randomBytes(40)]);
    expect(headerOf(sealed)).toEqual({ t: 'enc', peer: '0123456789abcdef' });
    expect(headerOf(Buffer.from('Hello Everyone!'))).toBeNull();
    expect(headerOf(Buffer.from('MCC2 [1,2]\n'))).toBeNull();
    expect(headerOf(Buffer.from('MCC2 {"t":'))).toBeNull();
  });
});
