import dgram from 'node:dgram';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createChatCore } from '../../electron/core/chat-core.js';
import { encodeChat } from '../../shared/protocol/codec.js';
import type { RoomCounters } from '../../shared/events.js';
import { testPeer, testRoomKey } from '../helpers/signed-frames.js';
import { waitFor } from '../helpers/wait.js';

// Network safety: the listener and the fuzzing sender are pinned to loopback.
const IFACE = '127.0.0.1';
const ROOM = { group: '239.255.42.120', port: 46120 };
const ROOM_ID = `${ROOM.group}:${ROOM.port}`;
const core = createChatCore({ nickname: 'target', appVersion: 'test/1', defaultIface: IFACE });
const sender = dgram.createSocket({ type: 'udp4' });

afterAll(async () => {
  sender.close();
  await core.close();
});

const fuzzer = testPeer();
const sealer = testPeer({ key: testRoomKey() });
const seeds = [
  ...fuzzer.chat({ nick: 'fuzz', seq: 1, ttl: 1, ts: 1 }, 'a valid line'),
  ...fuzzer.chat({ nick: 'fuzz', seq: 2, ttl: 1, ts: 1 }, 'ü'.repeat(1500)),
  fuzzer.frame({ t: 'hello', nick: 'fuzz', app: 'x', ivl: 5000 }),
  ...sealer.chat({ nick: 'sealed', seq: 0, ttl: 1, ts: 1 }, 'encrypted for another room'),
  // Without a signature (no room for one), an older app's v1 frame, and a stranger's chat without its key.
  encodeChat({ peer: '0123456789abcdef', nick: 'old', seq: 1, ttl: 1, ts: 1 }, 'unsigned')[0]!,
  new TextEncoder().encode('MCC1 {"t":"chat","__proto__":{"x":1},"seq":1e400}\n'),
  ...testPeer({ introduce: 'introductions' }).chat({ nick: 'zed', seq: 0, ttl: 1, ts: 1 }, 'no key'),
];

/** Random bytes, and valid frames flipped, truncated or spliced: the datagrams a fuzzer would try. */
const datagram = fc.oneof(
  fc.uint8Array({ maxLength: 1400 }),
  // One byte changed, length kept: the signature line stays well formed, so what was signed no longer is.
  fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([seed, at, value]) => {
    const copy = Uint8Array.from(seed);
    copy[at % copy.length] = value;
    return copy;
  }),
  fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat()).map(([seed, at, value, cut]) => {
    const copy = Uint8Array.from(seed);
    copy[at % copy.length] = value;
    return copy.subarray(0, 1 + (cut % copy.length));
  }),
  fc.constantFrom(...seeds),
);

const categorised = (c: RoomCounters): number =>
  c.floodDropped + c.rawDatagrams + c.invalidFrames + c.unsupportedVersion + c.duplicates + c.ownEchoes + c.presenceIn + c.controlIn + c.chatFramesIn +
  c.unsigned + c.unknownSender + c.badSignature + c.replayed + c.encryptedNoKey + c.wrongKey + c.decryptFailed + c.plainInPrivate;

describe('a live listener under fuzzed datagrams', () => {
  it('never crashes, and every datagram is counted in exactly one category', async () => {
    await core.joinRoom(ROOM);
    await new Promise<void>((resolve) => sender.bind(0, IFACE, () => resolve()));
    sender.setMulticastInterface(IFACE);
    const samples = fc.sample(datagram, { numRuns: 3000, seed: 42 });
    const before = core.counters(ROOM_ID).datagramsIn;
    const deadline = Date.now() + 10_000;
    let sent = 0;
    for (const bytes of samples) {
      if (Date.now() > deadline) break;
      await new Promise<void>((resolve, reject) => sender.send(bytes, ROOM.port, ROOM.group, (e) => (e ? reject(e) : resolve())));
      sent++;
      // Flow control: a socket buffer holds only ~150 datagrams; let the receiver keep up.
      if (sent % 50 === 0) await waitFor(() => core.counters(ROOM_ID).datagramsIn - before >= sent - 5, 'receiver to catch up', 2_000).catch(() => undefined);
    }
    await waitFor(() => core.counters(ROOM_ID).datagramsIn - before >= sent, `${sent} datagrams counted`, 10_000).catch(() => undefined);
    const c = core.counters(ROOM_ID);
    expect(sent).toBeGreaterThan(1000);
    // Loopback may drop a few under load; whatever arrived must be fully accounted for.
    expect(c.datagramsIn - before).toBeGreaterThan(sent * 0.9);
    expect(categorised(c)).toBe(c.datagramsIn);
    expect(c.invalidFrames).toBeGreaterThan(0);
    expect(c.rawDatagrams).toBeGreaterThan(0);
    // Mutated signed frames fail verification; sealed ones find no key here.
    expect(c.badSignature).toBeGreaterThan(0);
    expect(c.encryptedNoKey).toBeGreaterThan(0);
    expect(core.rooms()[0]?.status).toBe('joined');
  });
});
