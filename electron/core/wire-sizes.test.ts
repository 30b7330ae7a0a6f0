import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeDatagram } from '../../shared/protocol/codec.js';
import { FakeClock } from './clock.js';
import { coreOn, settle } from '../../tests/helpers/core-peers.js';
import { FakeNetwork } from '../../tests/helpers/fake-network.js';
import { testRoomKey } from '../../tests/helpers/signed-frames.js';

/**
 * docs/protocol.md's table of datagram sizes, measured through the real send path: alice
 * (nickname `alice`, app `multicast-chat/0.1.0`) in the default room, plain and with a
 * passphrase. If a change of the wire moves a size, this says which, and the table is updated.
 */
const ROOM = { group: '239.255.42.99', port: 4242 };
const ID = '239.255.42.99:4242';

/** The peer a datagram says it is from (clear in a sealed one's header too). */
const peerOf = (data: Uint8Array): string | null => {
  const d = decodeDatagram(data);
  return d.kind === 'frame' || d.kind === 'sealed' ? d.header.peer : null;
};

async function sizesIn(sealed: boolean): Promise<Record<string, number>> {
  const net = new FakeNetwork();
  const clock = new FakeClock();
  const options = sealed ? { key: testRoomKey() } : {};
  const alice = coreOn(net, clock, 'alice', { appVersion: 'multicast-chat/0.1.0' });
  const bob = coreOn(net, clock, 'bob', { appVersion: 'multicast-chat/0.1.0' });
  await alice.core.joinRoom(ROOM, options);
  await settle(clock, 3_000);
  await alice.core.send(ID, 'hello');
  await settle(clock, 3_000);
  const marks = net.sent.length;
  await bob.core.joinRoom(ROOM, options);
  await settle(clock, 1_000);
  const aliceId = alice.core.peerId;
  const after = net.sent.slice(marks);
  const bobs = after.filter((d) => peerOf(d.data) !== aliceId).map((d) => d.data.length);
  const alices = after.filter((d) => peerOf(d.data) === aliceId).map((d) => d.data.length);
  const chats = net.sent.slice(0, marks).filter((d) => peerOf(d.data) === aliceId).map((d) => d.data.length);
  const beforeLeaving = net.sent.length;
  await alice.core.leaveRoom(ID);
  const bye = net.sent.slice(beforeLeaving).filter((d) => peerOf(d.data) === aliceId).at(-1)?.data.length ?? -1;
  // alice: greeting, sync, two follow-up hellos with `seen` (v1.5), the chat, hellos with `next`;
  // bob: greeting, sync; alice's answer to him: greeting, the `hist` frame twice (one key), the chat again.
  return {
    chat: chats[4] ?? -1,
    hello: chats[0] ?? -1,
    helloWithNext: chats[5] ?? -1,
    helloWithSeen: chats[2] ?? -1,
    sync: chats[1] ?? -1,
    histOneKey: alices[1] ?? -1,
    resentChat: alices[3] ?? -1,
    bobHello: bobs[0] ?? -1,
    bye,
  };
}

describe('datagram sizes (docs/protocol.md, Sizes)', () => {
  // Presence jitter draws from Math.random: fixed, so the order of what is sent is too.
  beforeEach(() => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('plain room: chat "hello" 218, hello 305 (308 with next), with seen 317, sync 268, hist 312 with one key (+43 a key), bye 178', async () => {
    expect(await sizesIn(false)).toEqual({ chat: 218, hello: 305, helloWithNext: 308, helloWithSeen: 317, sync: 268, histOneKey: 312, resentChat: 218, bobHello: 303, bye: 178 });
  });

  it('passphrase room: chat "hello" 320, hello 407 (410 with next), with seen 419, sync 344, hist 388 with one key, bye 254', async () => {
    expect(await sizesIn(true)).toEqual({ chat: 320, hello: 407, helloWithNext: 410, helloWithSeen: 419, sync: 344, histOneKey: 388, resentChat: 320, bobHello: 405, bye: 254 });
  });
});
