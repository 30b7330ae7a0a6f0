import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testPeer, testRoomKey } from '../helpers/signed-frames.js';
import { hexRows, printable } from '../../shared/hex-dump.js';
import { encodeUtf8, histKeysBody } from '../../shared/protocol/codec.js';
import { UNKNOWN_FIELD } from '../../shared/wire-fields.js';
import { PART_LABELS, fromBase64, partText, rawStory, visibleText, wireStory, type WireStory } from '../../shared/wire-story.js';

const TS = 1_763_999_990_000;
const ascii = (text: string): Uint8Array => encodeUtf8(text);
/** A line feed and 86 characters where a v2 datagram has its signature (the story does not verify it). */
const SIG = '\n' + 's'.repeat(86);

/** The parts of a story cover the datagram from its first byte to its last, in order, without gaps. */
function expectCovering(s: WireStory): void {
  let at = 0;
  for (const part of s.parts) {
    expect(part.start).toBe(at);
    expect(part.end).toBeGreaterThan(part.start);
    at = part.end;
  }
  expect(at).toBe(s.size);
}

const kinds = (s: WireStory): string[] => s.parts.map((p) => p.kind);
const textOf = (bytes: Uint8Array, s: WireStory, kind: string): string[] => s.parts.filter((p) => p.kind === kind).map((p) => partText(bytes, p));

describe('wireStory: a signed chat frame', () => {
  const alice = testPeer({ startedAt: TS - 10_000, introduce: 'introductions' });
  const [datagram] = alice.chat({ nick: 'alice', seq: 4, ttl: 32, ts: TS }, 'Hello Everyone!');
  if (!datagram) throw new Error('no datagram');
  const s = wireStory(datagram);

  it('marks the marker, the header, the line feed, the text, and the signature line after it', () => {
    expect(s).toMatchObject({ verdict: 'frame', type: 'chat', size: datagram.length, keyId: null, fragment: null });
    expect(kinds(s)).toEqual(['marker', 'header', 'line-feed', 'body', 'line-feed', 'signature']);
    expectCovering(s);
    expect(textOf(datagram, s, 'marker')).toEqual(['MCC2 ']);
    const [sig] = textOf(datagram, s, 'signature');
    expect(sig).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(textOf(datagram, s, 'line-feed')).toEqual(['\\n', '\\n']);
    expect(textOf(datagram, s, 'body')).toEqual(['Hello Everyone!']);
    expect(s.note).toContain('chat frame');
  });

  it('names every header field in the order it was sent, with its meaning from the protocol', () => {
    expect(s.fields.map((f) => f.name)).toEqual(['t', 'peer', 'nick', 'sess', 'seq', 'ttl', 'ts', 'n']);
    for (const field of s.fields) expect(field.meaning).not.toBe(UNKNOWN_FIELD);
    const byName = Object.fromEntries(s.fields.map((f) => [f.name, f]));
    expect(byName['t']).toMatchObject({ value: '"chat"', meaning: expect.stringContaining('chat message') });
    expect(byName['seq']).toMatchObject({ value: '4', meaning: expect.stringContaining('sequence number') });
    expect(byName['ttl']).toMatchObject({ value: '32', reading: 'site scope', meaning: expect.stringContaining('TTL') });
    expect(byName['ts']?.reading).toBe('2025-11-24 15:59:50.000 UTC');
    expect(byName['peer']?.reading).toBe(alice.peerId.replace(/(.{4})(?=.)/g, '$1 '));
    expect(s.note).toContain('Ed25519 signature');
    expect(byName['n']?.meaning).toContain('datagram counter');
  });
});

describe('wireStory: other frames', () => {
  it("a passphrase room's sealed frame: the key id, the ciphertext and its 16-byte tag", () => {
    const key = testRoomKey();
    const carol = testPeer({ key });
    const [datagram] = carol.chat({ nick: 'carol', seq: 0, ttl: 1, ts: TS }, 'only members read this');
    if (!datagram) throw new Error('no datagram');
    const s = wireStory(datagram);
    expect(s).toMatchObject({ verdict: 'frame', type: 'enc', keyId: key.id });
    expect(kinds(s)).toEqual(['marker', 'header', 'key-id', 'header', 'line-feed', 'ciphertext', 'tag', 'line-feed', 'signature']);
    expectCovering(s);
    expect(textOf(datagram, s, 'key-id')).toEqual([`"kid":"${key.id}"`]);
    const tag = s.parts.find((p) => p.kind === 'tag');
    expect(tag ? tag.end - tag.start : 0).toBe(16);
    expect(tag?.end).toBe(datagram.length - 87);
    // Not a word of the text is on the wire.
    expect(new TextDecoder().decode(datagram)).not.toContain('only members');
    // testPeer introduces itself in every frame by default: the key travels in the clear header.
    expect(s.fields.map((f) => f.name)).toEqual(['t', 'peer', 'kid', 'sess', 'n', 'st', 'pk']);
    expect(s.fields.find((f) => f.name === 'kid')?.meaning).toContain('which room key');
    expect(s.note).toContain('sealed');
  });

  it('a fragmented message: each datagram says which fragment it is', () => {
    const bob = testPeer();
    const datagrams = bob.chat({ nick: 'bob', seq: 1, ttl: 1, ts: TS }, 'x'.repeat(3000));
    expect(datagrams.length).toBeGreaterThan(2);
    const stories = datagrams.map(wireStory);
    expect(stories.map((s) => s.fragment)).toEqual(datagrams.map((_, i) => [i, datagrams.length]));
    expect(stories[1]?.fields.find((f) => f.name === 'frag')?.reading).toBe(`fragment 2 of ${datagrams.length}`);
    for (const s of stories) expectCovering(s);
  });

  it('control frames: meanings follow the frame type (a NACK names the asker and the sender asked)', () => {
    const bob = testPeer();
    const nack = bob.frame({ t: 'nack', to: 'aaaaaaaaaaaaaaaa', toSess: 'bbbbbbbbbbbbbbbb', seqs: [[3, 4]] });
    const s = wireStory(nack);
    expect(kinds(s)).toEqual(['marker', 'header', 'line-feed', 'line-feed', 'signature']);
    expectCovering(s);
    const byName = Object.fromEntries(s.fields.map((f) => [f.name, f]));
    expect(byName['peer']?.meaning).toContain('asker');
    expect(byName['to']?.meaning).toContain('missing');
    expect(byName['seqs']?.meaning).toContain('[first, last]');
    expect(s.note).toBe('A nack frame: the marker, one line of JSON header, a line feed, then a line feed and the signature (86 characters).');
    const keys = histKeysBody([new Uint8Array(32).fill(7), new Uint8Array(32).fill(8)]);
    const hist = wireStory(bob.frame({ t: 'hist', rid: 'cccccccccccccccc', count: 3 }, keys));
    expect(kinds(hist)).toEqual(['marker', 'header', 'line-feed', 'keys', 'line-feed', 'signature']);
    expect(hist.note).toContain('public keys');
    const hello = wireStory(bob.frame({ t: 'hello', nick: 'bob', app: 'mcchat/0.1.0', ivl: 5000, next: 3, up: 1500 }));
    expect(hello.fields.find((f) => f.name === 'ivl')?.reading).toBe('5 s');
    expect(hello.fields.find((f) => f.name === 'up')?.reading).toBe('1.5 s');
  });
});

describe('wireStory: anything that is not a frame', () => {
  it("raw text (the lecture's Python sender): one part", () => {
    const bytes = ascii('Hello Everyone!');
    const s = wireStory(bytes);
    expect(s).toMatchObject({ verdict: 'raw', type: null, fields: [] });
    expect(s.parts).toEqual([{ kind: 'raw', start: 0, end: 15 }]);
    expect(rawStory(bytes)).toEqual(s);
    expect(wireStory(new Uint8Array(0))).toMatchObject({ verdict: 'empty', parts: [], size: 0 });
  });

  it('the marker without a readable header: counted as invalid or another version, never a frame', () => {
    const cases: [string, string, RegExp][] = [
      ['MCC1 {"t":"chat"}\n', 'unsupported', /version 1/],
      ['MCC2 {"t":"chat"' + SIG, 'invalid', /no line feed/],
      ['MCC2 not json\nbody' + SIG, 'invalid', /not JSON/],
      ['MCC2 [1,2]\n' + SIG, 'invalid', /not a JSON object/],
      ['MCC2 ' + 'x'.repeat(800) + '\n' + SIG, 'invalid', /no line feed/],
      ['MCC2 {"t":"bye"}\n', 'invalid', /does not end in a line feed and an 86-character signature/],
    ];
    for (const [text, verdict, note] of cases) {
      const s = wireStory(ascii(text));
      expect(s.verdict).toBe(verdict);
      expect(s.note).toMatch(note);
      expect(kinds(s)).toEqual(['marker', 'raw']);
      expectCovering(s);
    }
    const notUtf8 = Uint8Array.of(...ascii('MCC2 {"a":"'), 0xff, ...ascii('"}\n' + SIG));
    expect(wireStory(notUtf8).note).toMatch(/not valid UTF-8/);
    // "MCC" and five digits, or no space: not our marker at all.
    expect(wireStory(ascii('MCC12345 {}\n')).verdict).toBe('raw');
    expect(wireStory(ascii('MCC2{}\n')).verdict).toBe('raw');
  });

  it('a hostile header: unknown keys named as such, prototype keys find no meaning, control and bidi characters escaped', () => {
    // JSON allows a raw U+202E in a string; control characters only as \u escapes, which parse to the real ones.
    const bytes = ascii(String.raw`MCC2 {"t":"chat","__proto__":{"x":1},"constructor":1,"nick":"a` + '\u202e' + String.raw`b\u0007\u007f","x\u001by":2}` + '\nhi\u001b[2J' + SIG);
    const s = wireStory(bytes);
    expect(s.verdict).toBe('frame');
    const byName = Object.fromEntries(s.fields.map((f) => [f.name, f]));
    expect(byName['__proto__']).toMatchObject({ value: '{"x":1}', meaning: UNKNOWN_FIELD });
    expect(byName['constructor']?.meaning).toBe(UNKNOWN_FIELD);
    // JSON.stringify escapes C0 controls itself; visibleText escapes what it leaves (bidi, DEL, C1).
    expect(byName['nick']?.value).toBe(String.raw`"a\u202eb\u0007\x7f"`);
    expect(s.fields.map((f) => f.name)).toContain(String.raw`x\x1by`);
    const body = s.parts.find((p) => p.kind === 'body');
    expect(body && partText(bytes, body)).toBe(String.raw`hi\x1b[2J`);
  });

  it('is total: any bytes give parts that cover them, and never throw', () => {
    const marked = fc.uint8Array({ maxLength: 1400 }).map((tail) => Uint8Array.of(...ascii('MCC2 '), ...tail));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 1400 }), marked, fc.string().map((t) => ascii(`MCC2 ${t}\n${SIG}`))), (bytes) => {
        const s = wireStory(bytes);
        expectCovering(s);
        for (const part of s.parts) expect(PART_LABELS[part.kind]).toBeTruthy();
        for (const row of hexRows(bytes, s.parts)) expect(row.runs.map((r) => r.text).join('')).toMatch(/^[\x20-\x7e]*$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('helpers', () => {
  it('visibleText writes control, format and bidi characters as escapes, and keeps other text', () => {
    expect(visibleText('a\nb\r\tc\u0000\u007f\u0085\u202e\u2066 ok é 漢 😀')).toBe('a\\nb\\r\\tc\\x00\\x7f\\x85\\u202e\\u2066 ok é 漢 😀');
  });

  it('fromBase64 reads what main sends, and refuses what is not base64', () => {
    expect(fromBase64('TUNDMSA=')).toEqual(ascii('MCC1 '));
    expect(fromBase64('not base64!')).toBeNull();
  });

  it('hexRows: 16 bytes a row, offsets in hex, runs of one part, dots for anything not printable', () => {
    const bytes = ascii('MCC2 {"t":"bye"}\n\u0007\u007f' + SIG);
    const s = wireStory(bytes);
    const rows = hexRows(bytes, s.parts);
    expect(rows.map((r) => [r.offset, r.count])).toEqual([
      ['0000', 16],
      ['0010', 16],
      ['0020', 16],
      ['0030', 16],
      ['0040', 16],
      ['0050', 16],
      ['0060', 10],
    ]);
    expect(rows[0]?.runs).toEqual([
      { kind: 'marker', hex: '4d 43 43 32 20', text: 'MCC2 ' },
      { kind: 'header', hex: '7b 22 74 22 3a 22 62 79 65 22 7d', text: '{"t":"bye"}' },
    ]);
    expect(rows[1]?.runs.slice(0, 2)).toEqual([
      { kind: 'line-feed', hex: '0a', text: '.' },
      { kind: 'body', hex: '07 7f', text: '..' },
    ]);
    expect([0x1f, 0x20, 0x7e, 0x7f, 0xff].map(printable)).toEqual(['.', ' ', '~', '.', '.']);
  });
});
