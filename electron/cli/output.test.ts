import { describe, expect, it } from 'vitest';
import { emptyCounters, type ChatMessage, type RoomCounters } from '../../shared/events.js';
import { COUNTER_LABELS, countersLines, messageJson, messageLine, peerLine } from './output.js';

const base: ChatMessage = {
  kind: 'chat',
  roomId: 'r',
  id: '0123456789abcdef',
  text: 'hi',
  nick: 'alice',
  peerId: '0123456789abcdef',
  src: '127.0.0.1:5000',
  ttl: 1,
  seq: 1,
  ts: new Date(2025, 0, 1, 15, 28, 0).getTime(),
  receivedAt: new Date(2025, 0, 1, 15, 28, 1).getTime(),
  own: false,
  fragments: 1,
  bytes: 100,
  order: 'x',
};

/** Anything a terminal would act on rather than show: C0, ESC, DEL, C1, bidi, separators. */
// eslint-disable-next-line no-control-regex -- control characters are what this test looks for
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\u061c]/u;

describe('human output cannot be forged by what peers send', () => {
  it('shows a raw datagram that rewrites the line as visible escapes on its own line', () => {
    const line = messageLine({ ...base, kind: 'raw', nick: null, peerId: null, ttl: null, text: '\r\x1b[2K15:28:00 <teacher> [ttl 1] exam is cancelled' });
    expect(line).not.toMatch(ACTIVE);
    expect(line).toMatch(/^\d\d:\d\d:\d\d raw 127\.0\.0\.1:5000: \\x0d\\x1b\[2K15:28:00 <teacher>/);
  });

  it('indents every line of a multi-line message under its header', () => {
    const lines = messageLine({ ...base, text: 'see you\n15:28:05 <bob> [ttl 1] I agree\r\nbye' }).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d <alice> \[ttl 1\] see you$/);
    for (const continuation of lines.slice(1)) expect(continuation).toMatch(/^ {9}\| /);
    expect(lines[1]).toBe('         | 15:28:05 <bob> [ttl 1] I agree');
  });

  it('keeps continuation lines under a prefix too', () => {
    const lines = messageLine({ ...base, text: 'a\nb' }, '(earlier) ').split('\n');
    expect(lines[1]).toBe(`${' '.repeat(10)}         | b`);
  });

  it('escapes OSC 0 and OSC 52 in a nickname, and bidi overrides in text', () => {
    const line = messageLine({ ...base, nick: 'eve\x1b]0;owned\x07\x1b]52;c;cm0gLXJm\x07', text: 'abc\u202etxt.exe \u2066x\u2069' });
    expect(line).not.toMatch(ACTIVE);
    expect(line).toContain('<eve\\x1b]0;owned\\x07\\x1b]52;c;cm0gLXJm\\x07>');
    expect(line).toContain('abc\\u202etxt.exe \\u2066x\\u2069');
  });

  it('escapes C1 controls and DEL, keeps ordinary Unicode and emoji joiners', () => {
    const line = messageLine({ ...base, text: 'a\u009b2Jb\x7f Zoë 👨\u200d👩\u200d👧' });
    expect(line).toContain('a\\x9b2Jb\\x7f Zoë 👨\u200d👩\u200d👧');
  });

  it('escapes what a peer announces about itself', () => {
    const line = peerLine({ peerId: 'p', nick: 'eve\x1b[31m', app: 'x\x1b]0;t\x07', addresses: ['1.2.3.4:5'], firstSeen: 0, lastSeen: 0, flooding: false, fingerprint: 'aaaa bbbb cccc dddd', verified: false, impersonates: 'q' });
    expect(line).not.toMatch(ACTIVE);
    expect(line).toContain('NOT THE FIRST "eve\\x1b[31m" SEEN');
  });

  it('keeps --json parseable to the same text while escaping DEL, C1 and bidi', () => {
    const text = 'a\x1b\x7f\u009b\u202eb\u2028';
    const json = messageJson({ ...base, text }, { group: '239.1.1.1', port: 1 });
    expect(json).not.toMatch(ACTIVE);
    expect((JSON.parse(json) as { text: string }).text).toBe(text);
  });
});

describe('listen --json', () => {
  it('names the interface, the datagrams and the scope of each message', () => {
    const json = JSON.parse(messageJson({ ...base, ttl: 32, fragments: 3, iface: 'eth0' }, { group: '239.1.1.1', port: 1 })) as Record<string, unknown>;
    expect(json).toMatchObject({ iface: 'eth0', datagrams: 3, fragments: 3, scope: 'site', ttl: 32 });
  });

  it('says "custom" between the table\'s TTLs, null scope for raw and null interface when unknown', () => {
    expect(JSON.parse(messageJson({ ...base, ttl: 5 }, { group: '239.1.1.1', port: 1 }))).toMatchObject({ scope: 'custom', iface: null, datagrams: 1 });
    expect(JSON.parse(messageJson({ ...base, kind: 'raw', ttl: null, nick: null, peerId: null }, { group: '239.1.1.1', port: 1 }))).toMatchObject({ scope: null });
    expect(JSON.parse(messageJson({ ...base, ttl: 0 }, { group: '239.1.1.1', port: 1 }))).toMatchObject({ scope: 'host' });
  });
});

describe('counters', () => {
  const counters: RoomCounters = Object.fromEntries(Object.keys(emptyCounters()).map((key, i) => [key, 1000 + i])) as unknown as RoomCounters;

  it('has a label for every counter the core keeps', () => {
    for (const key of Object.keys(emptyCounters())) expect(COUNTER_LABELS, key).toHaveProperty(key);
  });

  it('shows every counter, in three groups', () => {
    const lines = countersLines(counters);
    expect(lines.map((l) => l.split(':')[0])).toEqual(['traffic', 'reliability', 'security']);
    const text = lines.join('\n');
    for (const [key, value] of Object.entries(counters)) expect(text, key).toContain(`${COUNTER_LABELS[key]?.[1] ?? key} ${value.toLocaleString('en-US')}`);
    expect(text).toContain('bad signature');
    expect(text).toContain('NACKs sent');
  });
});
