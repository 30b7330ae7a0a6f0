import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeDatagram, decodeInner, encodeChat, encodeFrame, histKeysBody, splitChat, utf8Length } from './codec.js';
import { MAX_DATAGRAM_BYTES, MAX_TEXT_BYTES } from './constants.js';
import { signedFrame, signedReserve, type FrameSigner } from './envelope.js';
import type { ChatHeader, FrameHeader } from './frame.js';

const enc = new TextEncoder();
const SESS = '5c43a0f620842295';
const PK = 'A'.repeat(43);
/** Signs with zeros: the codec only reads a signature, the main process verifies it. */
/** Where a signature goes: a line feed and 86 base64url characters (all zero bytes). */
const ZERO_TAIL = new TextEncoder().encode(`\n${'A'.repeat(86)}`);
const signer: FrameSigner = { envelope: (introduce) => ({ sess: SESS, n: 7, ...(introduce ? { st: 1, pk: PK } : {}) }), sign: () => new Uint8Array(64) };
const signed = (header: FrameHeader, body: Uint8Array = new Uint8Array(0)): Uint8Array => signedFrame(header, body, signer);
/** The datagrams of a chat message as the app puts them on the wire (without a key: not an introduction). */
const chatDatagrams = (header: Omit<ChatHeader, 't' | 'frag'>, text: string): Uint8Array[] =>
  splitChat({ ...header, sess: SESS }, text, signedReserve(false)).map((p) => signedFrame(p.header, p.body, signer, false));
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
  const datagrams = chatDatagrams(header, text);
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

describe('wire protocol v2 codec', () => {
  it('puts the text in clear after a one-line header, the signature last as a line of base64url, so the whole datagram is text a capture or Python can read', () => {
    const [datagram] = chatDatagrams({ peer: '0123456789abcdef', nick: 'alice', seq: 7, ttl: 1, ts: 1700000000000 }, 'Hello Everyone!');
    const text = new TextDecoder('utf-8', { fatal: true }).decode(datagram!);
    expect(text).toBe(`MCC2 {"t":"chat","peer":"0123456789abcdef","nick":"alice","sess":"5c43a0f620842295","seq":7,"ttl":1,"ts":1700000000000,"n":7}\nHello Everyone!\n${'A'.repeat(86)}`);
    // Printable ASCII and line feeds only around the text: nothing a terminal would act on.
    expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
  });

  it('rejects a datagram with no room for its signature, or without sess and n, or with only half of an introduction', () => {
    const [datagram] = chatDatagrams({ peer: '0123456789abcdef', nick: 'alice', seq: 7, ttl: 1, ts: 1 }, 'hi');
    expect(decodeDatagram(datagram!.subarray(0, datagram!.length - 87))).toMatchObject({ kind: 'rejected' });
    expect(decodeDatagram(datagram!.subarray(0, datagram!.length - 1))).toMatchObject({ kind: 'rejected', reason: 'no-signature' });
    const notBase64 = Uint8Array.from(datagram!);
    notBase64[notBase64.length - 5] = 0x2b; // '+': standard base64, not base64url
    expect(decodeDatagram(notBase64)).toMatchObject({ kind: 'rejected', reason: 'no-signature' });
    // One spelling per signature: the 4 bits past its 64th byte must be zero ('A' is 0, 'B' is 1).
    const respelled = Uint8Array.from(datagram!);
    respelled[respelled.length - 1] = 0x42;
    expect(decodeDatagram(respelled)).toMatchObject({ kind: 'rejected', reason: 'no-signature' });
    expect(decodeDatagram(enc.encode('MCC2 {}\n'))).toMatchObject({ kind: 'rejected', reason: 'no-signature' });
    const bare = Uint8Array.from([...encodeFrame({ t: 'bye', peer: '0123456789abcdef', nick: 'x' }), ...ZERO_TAIL]);
    expect(decodeDatagram(bare)).toMatchObject({ kind: 'rejected', reason: 'bad-envelope' });
    const half = Uint8Array.from([...encodeFrame({ t: 'bye', peer: '0123456789abcdef', nick: 'x', sess: SESS, n: 1, pk: PK }), ...ZERO_TAIL]);
    expect(decodeDatagram(half)).toMatchObject({ kind: 'rejected', reason: 'bad-envelope' });
  });

  it('carries a history answer\'s keys in its body, and reads the sealed inner frame without an envelope', () => {
    const keys = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
    const body = histKeysBody(keys);
    // 43 base64url characters per key: the hist frame is text too.
    expect(new TextDecoder().decode(body)).toBe('AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE' + 'AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI');
    const decoded = decodeDatagram(signed({ t: 'hist', peer: '0123456789abcdef', rid: SESS, count: 2 }, body));
    expect(decoded).toMatchObject({ kind: 'frame', header: { t: 'hist', st: 1, pk: PK }, keys });
    expect(decodeDatagram(signed({ t: 'hist', peer: '0123456789abcdef', rid: SESS, count: 2 }, body.subarray(1)))).toMatchObject({ kind: 'rejected', reason: 'unexpected-body' });
    expect(decodeDatagram(signed({ t: 'hist', peer: '0123456789abcdef', rid: SESS, count: 1 }, new TextEncoder().encode('!'.repeat(43))))).toMatchObject({ kind: 'rejected', reason: 'unexpected-body' });
    expect(decodeInner(encodeChat({ peer: '0123456789abcdef', nick: 'a', seq: 1, ttl: 1, ts: 1 }, 'inside')[0]!)).toMatchObject({ kind: 'frame', body: 'inside' });
  });

  it('round-trips any text up to 8 KiB, each datagram at most 1200 bytes, its header and text valid UTF-8 alone', () => {
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
    const header = { peer: '0123456789abcdef', nick: 'x'.repeat(32), seq: 0xffffffff, ttl: 255, ts: Number.MAX_SAFE_INTEGER };
    const datagrams = chatDatagrams(header, text);
    expect(datagrams.length).toBeGreaterThan(6);
    expect(datagrams.length).toBeLessThanOrEqual(9);
    expect(roundTrip(header, text)).toBe(text);
  });

  it('round-trips presence frames', () => {
    fc.assert(
      fc.property(hex16, nick, fc.string({ maxLength: 64 }), fc.integer({ min: 500, max: 600000 }), (peer, n, app, ivl) => {
        expect(decodeDatagram(signed({ t: 'hello', peer, nick: n, app, ivl }))).toMatchObject({ kind: 'frame', header: { t: 'hello', peer, nick: n, app, ivl, sess: SESS, n: 7, st: 1, pk: PK }, body: '', keys: [] });
        expect(decodeDatagram(signed({ t: 'bye', peer, nick: n }))).toMatchObject({ kind: 'frame', header: { t: 'bye', peer, nick: n, sess: SESS, n: 7 }, body: '', keys: [] });
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
    const valid = chatDatagrams({ peer: '0123456789abcdef', nick: 'bob', seq: 1, ttl: 1, ts: 1 }, 'hi there')[0]!;
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
    hugeFrame.set(enc.encode('MCC2 '));
    expect(decodeDatagram(hugeFrame)).toEqual({ kind: 'rejected', reason: 'no-signature' });
    hugeFrame.set(ZERO_TAIL, hugeFrame.length - ZERO_TAIL.length);
    expect(decodeDatagram(hugeFrame)).toEqual({ kind: 'rejected', reason: 'header-too-long' });
  });

  /** Any header text, with a body and a (zero) signature after it. */
  const frame = (header: string, body = ''): Uint8Array => Uint8Array.from([...enc.encode(`MCC2 ${header}\n${body}`), ...ZERO_TAIL]);
  const goodHeader = { t: 'chat', peer: '0123456789abcdef', nick: 'eve', sess: SESS, seq: 1, ttl: 1, ts: 5, n: 1 };

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
    ['body on a goodbye', frame(JSON.stringify({ t: 'bye', peer: goodHeader.peer, nick: 'eve', sess: SESS, n: 1 }), 'x'), 'unexpected-body'],
    ['another version', enc.encode('MCC3 {}\nhello'), 'unsupported-version'],
    ['version 1 (an older app)', enc.encode('MCC1 {"t":"chat"}\nhello'), 'unsupported-version'],
  ])('rejects %s', (_name, bytes, reason) => {
    expect(decodeDatagram(bytes)).toMatchObject({ kind: 'rejected', reason });
  });

  it('rejects invalid UTF-8 in header and body', () => {
    const badHeader = Uint8Array.from([...enc.encode('MCC2 {"t":"'), 0xff, ...enc.encode('"}\n'), ...ZERO_TAIL]);
    expect(decodeDatagram(badHeader)).toMatchObject({ kind: 'rejected', reason: 'header-not-utf8' });
    const badBody = frame(JSON.stringify(goodHeader), '\u0000').map((b, i, all) => (i === all.length - 88 ? 0xc3 : b));
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
    const header = { t: 'chat' as const, peer: '0123456789abcdef', nick: 'ann', sess: SESS, seq: 3, ttl: 32, ts: 9, hc: 2, frag: [1, 2] as [number, number] };
    const datagram = signed(header, enc.encode('b'));
    const decoded = decodeDatagram(datagram);
    expect(decoded).toMatchObject({ kind: 'frame', header: { ...header, n: 7 }, body: 'b', signature: { publicKey: null, signature: new Uint8Array(64) } });
    if (decoded.kind === 'frame') expect(decoded.signature.signed).toEqual(datagram.subarray(0, datagram.length - 87));
  });
});
