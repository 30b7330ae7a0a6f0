import { describe, expect, it } from 'vitest';
import { nicknameSchema } from '../room-config.js';
import { decodeDatagram } from './codec.js';

const enc = new TextEncoder();
const env = { sess: 'fedcba9876543210', n: 1 };
/** A header, a body and a (zero) signature: the codec reads it, main verifies it. */
const frame = (header: object, body = ''): Uint8Array => Uint8Array.from([...enc.encode(`MCC2 ${JSON.stringify(header)}\n${body}`), ...new TextEncoder().encode(`\n${'A'.repeat(86)}`)]);
const chat = (nick: string) => frame({ t: 'chat', peer: '0123456789abcdef', nick, seq: 1, ttl: 1, ts: 5, ...env }, 'hi');
const hello = (nick: string) => frame({ t: 'hello', peer: '0123456789abcdef', nick, app: 'x', ivl: 5000, ...env, st: 1, pk: 'A'.repeat(43) });
const bye = (nick: string) => frame({ t: 'bye', peer: '0123456789abcdef', nick, ...env });

// Each of these reached a terminal unchanged before: a title change, a clipboard write, a line
// rewritten in place, text reordered by a bidi override.
const hostile: readonly (readonly [string, string])[] = [
  ['OSC 0 (window title)', 'eve\x1b]0;pwned\x07'],
  ['OSC 52 (clipboard)', 'eve\x1b]52;c;cm0gLXJmIH4=\x07'],
  ['carriage return and erase line', '\r\x1b[2Kteacher'],
  ['newline', 'alice\nbob'],
  ['DEL', 'eve\x7f'],
  ['C1 CSI', 'eve\u009b2J'],
  ['right-to-left override', 'eve\u202etxt.exe'],
  ['first strong isolate', 'eve\u2068x\u2069'],
  ['zero-width space', 'te\u200bacher'],
  ['line separator', 'eve\u2028bob'],
];

describe('nicknames on the wire', () => {
  it.each(hostile)('refuses a nickname with %s in chat, hello and bye frames', (_name, nick) => {
    for (const bytes of [chat(nick), hello(nick), bye(nick)]) {
      expect(decodeDatagram(bytes)).toMatchObject({ kind: 'rejected', reason: 'header-invalid' });
    }
  });

  it.each(hostile)('refuses %s in a local nickname too: one rule for both', (_name, nick) => {
    expect(nicknameSchema.safeParse(nick).success).toBe(false);
  });

  it.each([
    ['plain', 'alice'],
    ['accents and CJK', 'Zoë 山田'],
    ['an emoji family (zero-width joiners)', '👨\u200d👩\u200d👧'],
    ['Persian with a zero-width non-joiner', 'می\u200cخواهم'],
  ])('accepts %s', (_name, nick) => {
    expect(decodeDatagram(chat(nick))).toMatchObject({ kind: 'frame', header: { nick } });
    expect(nicknameSchema.safeParse(nick).success).toBe(true);
  });
});
