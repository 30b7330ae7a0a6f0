import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeDatagram, encodeChat, encodeFrame, utf8Length } from './codec.js';
import { MAX_DATAGRAM_BYTES, MAX_TEXT_BYTES } from './constants.js';
import type { ChatHeader } from './frame.js';

const enc = new TextEncoder();
const hex16 = fc.stringMatching(/^[0-9a-f]{16}$/);
const nick = fc.string({ minLength: 1, maxLength: 32 }).filter((s) => s.trim().length > 0);
const chatBase = fc.record({
  peer: hex16,
  nick,
  id: hex16,
  seq: fc.integer({ min: 0, max: 0xffffffff }),
  ttl: fc.integer({ min: 0, max: 255 }),
  ts: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
});

/** Reassembles what encodeChat produced, in order, checking every datagram on the way. */
function roundTrip(header: Omit<ChatHeader, 't' | 'frag'>, text: string): string {
  const datagrams = encodeChat(header, text);
  const parts: string[] = [];
  datagrams.forEach((d, index) => {
    expect(d.length).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
    const decoded = decodeDatagram(d);
    if (decoded.kind !== 'frame' || decoded.header.t !== 'chat') throw new Error(`datagram ${index} did not decode: ${JSON.stringify(decoded)}`);
    expect(decoded.header.peer).toBe(header.peer);
    expect(decoded.header.seq).toBe(header.seq);
    expect(decoded.header.ttl).toBe(header.ttl);
    if (datagrams.length > 1) expect(decoded.header.frag).toEqual([index, datagrams.length]);
    else expect(decoded.header.frag).toBeUndefined();
    parts.push(decoded.body);
  });
  return parts.join('');
}

describe('wire protocol v1 codec', () => {
  it('puts the text in clear after a one-line header, so a capture or Python can read it', () => {
    const [datagram] = encodeChat({ peer: '0123456789abcdef', nick: 'alice', id: 'fedcba9876543210', seq: 7, ttl: 1, ts: 1700000000000 }, 'Hello Everyone!');
    const text = new TextDecoder('utf-8', { fatal: true }).decode(datagram);
    expect(text).toBe(
      'MCC1 {"t":"chat","peer":"0123456789abcdef","nick":"alice","id":"fedcba9876543210","seq":7,"ttl":1,"ts":1700000000000}\nHello Everyone!',
    );
  });

  it('round-trips any text up to 8 KiB, each datagram at most 1200 bytes and valid UTF-8 alone', () => {
    fc.assert(
      fc.property(chatBase, fc.string({ unit: 'grapheme', maxLength: 3000 }), (header, text) => {
        fc.pre(utf8Length(text) <= MAX_TEXT_BYTES);
        expect(roundTrip(header, text)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('fragments a full 8 KiB of 4-byte characters into few datagrams', () => {
    const text = '😀'.repeat(MAX_TEXT_BYTES / 4);
    const header = { peer: '0123456789abcdef', nick: 'x'.repeat(32), id: 'fedcba9876543210', seq: 0xffffffff, ttl: 255, ts: Number.MAX_SAFE_INTEGER };
    const datagrams = encodeChat(header, text);
    expect(datagrams.length).toBeGreaterThan(6);
    expect(datagrams.length).toBeLessThanOrEqual(9);
    expect(roundTrip(header, text)).toBe(text);
  });

  it('round-trips presence frames', () => {
    fc.assert(
      fc.property(hex16, nick, fc.string({ maxLength: 64 }), fc.integer({ min: 500, max: 600000 }), (peer, n, app, ivl) => {
        const none = { kind: 'none' };
        expect(decodeDatagram(encodeFrame({ t: 'hello', peer, nick: n, app, ivl }))).toEqual({ kind: 'frame', header: { t: 'hello', peer, nick: n, app, ivl }, body: '', signature: none });
        expect(decodeDatagram(encodeFrame({ t: 'bye', peer, nick: n }))).toEqual({ kind: 'frame', header: { t: 'bye', peer, nick: n }, body: '', signature: none });
      }),
    );
  });

  it('is total: arbitrary bytes never throw and always give a frame, raw text or a rejection', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const decoded = decodeDatagram(bytes);
        expect(['frame', 'raw', 'rejected']).toContain(decoded.kind);
      }),
      { numRuns: 2000 },
    );
  });

  it('is total on mutated valid frames (flipped, truncated, extended)', () => {
    const valid = encodeChat({ peer: '0123456789abcdef', nick: 'bob', id: 'fedcba9876543210', seq: 1, ttl: 1, ts: 1 }, 'hi there')[0]!;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: valid.length }), (at, value, cut) => {
        const flipped = Uint8Array.from(valid);
        flipped[at] = value;
        for (const candidate of [flipped, valid.subarray(0, cut)]) {
          expect(['frame', 'raw', 'rejected']).toContain(decodeDatagram(candidate).kind);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('handles the edge sizes: empty and 65507 bytes', () => {
    expect(decodeDatagram(new Uint8Array(0))).toEqual({ kind: 'raw', text: '' });
    const huge = new Uint8Array(65507).fill(0x41);
    // Shown: the first 4 KiB and how much more there was (the rest is not kept as text).
    expect(decodeDatagram(huge)).toEqual({ kind: 'raw', text: `${'A'.repeat(4_096)} … (61411 more bytes not shown)` });
    expect(decodeDatagram(new Uint8Array(4_096).fill(0x41))).toEqual({ kind: 'raw', text: 'A'.repeat(4_096) });
    const hugeFrame = new Uint8Array(65507).fill(0x20);
    hugeFrame.set(enc.encode('MCC1 '));
    expect(decodeDatagram(hugeFrame)).toEqual({ kind: 'rejected', reason: 'header-too-long' });
  });

  const frame = (header: string, body = ''): Uint8Array => enc.encode(`MCC1 ${header}\n${body}`);
  const goodHeader = { t: 'chat', peer: '0123456789abcdef', nick: 'eve', id: 'fedcba9876543210', seq: 1, ttl: 1, ts: 5 };

  it.each([
    ['not JSON', frame('{nope'), 'header-not-json'],
    ['JSON array', frame('[1,2]'), 'header-invalid'],
    ['wrong types', frame(JSON.stringify({ ...goodHeader, seq: '1' })), 'header-invalid'],
    ['huge number', frame(JSON.stringify(goodHeader).replace('"seq":1', '"seq":1e400')), 'header-invalid'],
    ['seq beyond uint32', frame(JSON.stringify({ ...goodHeader, seq: 2 ** 32 })), 'header-invalid'],
    ['ttl 256', frame(JSON.stringify({ ...goodHeader, ttl: 256 })), 'header-invalid'],
    ['fractional ttl', frame(JSON.stringify({ ...goodHeader, ttl: 1.5 })), 'header-invalid'],
    ['fragment index past count', frame(JSON.stringify({ ...goodHeader, frag: [3, 3] })), 'header-invalid'],
    ['unknown frame type', frame(JSON.stringify({ ...goodHeader, t: 'file' })), 'unknown-type'],
    ['body on a goodbye', frame(JSON.stringify({ t: 'bye', peer: goodHeader.peer, nick: 'eve' }), 'x'), 'unexpected-body'],
    ['another version', enc.encode('MCC2 {}\nhello'), 'unsupported-version'],
  ])('rejects %s', (_name, bytes, reason) => {
    expect(decodeDatagram(bytes)).toMatchObject({ kind: 'rejected', reason });
  });

  it('rejects invalid UTF-8 in header and body', () => {
    const badHeader = Uint8Array.from([...enc.encode('MCC1 {"t":"'), 0xff, ...enc.encode('"}\n')]);
    expect(decodeDatagram(badHeader)).toMatchObject({ kind: 'rejected', reason: 'header-not-utf8' });
    const badBody = Uint8Array.from([...frame(JSON.stringify(goodHeader)), 0xc3, 0x28]);
    expect(decodeDatagram(badBody)).toMatchObject({ kind: 'rejected', reason: 'body-not-utf8' });
  });

  it('ignores __proto__ and unknown keys instead of letting them through', () => {
    const decoded = decodeDatagram(frame(JSON.stringify(goodHeader).replace('{', '{"__proto__":{"polluted":true},"extra":1,'), 'hi'));
    expect(decoded.kind).toBe('frame');
    if (decoded.kind !== 'frame') return;
    expect(Object.keys(decoded.header)).not.toContain('extra');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('treats text that merely starts with MCC as raw', () => {
    expect(decodeDatagram(enc.encode('MCC rules'))).toEqual({ kind: 'raw', text: 'MCC rules' });
    expect(decodeDatagram(enc.encode('MCCx {}\n'))).toMatchObject({ kind: 'raw' });
  });

  it('keeps invalid UTF-8 in raw datagrams visible as replacement characters', () => {
    expect(decodeDatagram(Uint8Array.from([0x68, 0x69, 0xff]))).toEqual({ kind: 'raw', text: 'hi\uFFFD' });
  });

  it('encodes every header field into a frame that decodes to the same header', () => {
    const header = { t: 'chat' as const, peer: '0123456789abcdef', nick: 'ann', id: '0000000000000001', seq: 3, ttl: 32, ts: 9, frag: [1, 2] as [number, number] };
    expect(decodeDatagram(encodeFrame(header, enc.encode('b')))).toEqual({ kind: 'frame', header, body: 'b', signature: { kind: 'none' } });
  });
});
