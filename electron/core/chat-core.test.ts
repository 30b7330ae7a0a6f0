import { afterEach, describe, expect, it } from 'vitest';
import { ChatError } from '../../shared/errors.js';
import type { ChatMessage, CoreEvent } from '../../shared/events.js';
import { DOCKER, FakeNetwork, LAN, LOOPBACK, WIFI } from '../../tests/helpers/fake-network.js';
import { settle } from '../../tests/helpers/core-peers.js';
import { patchAscii, testPeer } from '../../tests/helpers/signed-frames.js';
import { createChatCore } from './chat-core.js';
import { FakeClock } from './clock.js';
import type { NetInterface } from './interfaces.js';
import type { ChatCore } from './types.js';

const ROOM = { group: '239.255.42.99', port: 4242 };
const ROOM_ID = '239.255.42.99:4242';

interface Peer {
  core: ChatCore;
  events: CoreEvent[];
  messages: () => ChatMessage[];
}

const cores: ChatCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

function peer(network: FakeNetwork, clock: FakeClock, nickname: string, interfaces: NetInterface[] = [LAN]): Peer {
  const core = createChatCore({ nickname, appVersion: 'test/1', socketFactory: network.factory, clock, interfaces: () => interfaces, platform: 'linux' });
  cores.push(core);
  const events: CoreEvent[] = [];
  core.subscribe((e) => events.push(e));
  return { core, events, messages: () => events.flatMap((e) => (e.type === 'message' ? [e.message] : [])) };
}

async function rejection(promise: Promise<unknown>): Promise<ChatError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ChatError) return error;
    throw error;
  }
  throw new Error('expected a ChatError');
}

describe('chat core on a fake network', () => {
  it('delivers a message with TTL, sequence number, id, timestamp, peer id and nickname', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    const bob = peer(net, clock, 'bob');
    await alice.core.joinRoom({ ...ROOM, ttl: 4 });
    await bob.core.joinRoom(ROOM);
    await settle(clock, 200); // bob hears alice's greeting, with her key
    const sent = await alice.core.send(ROOM_ID, 'hello');
    expect(sent).toMatchObject({ own: true, text: 'hello', ttl: 4, seq: 0 });
    const [got] = bob.messages();
    expect(got).toMatchObject({ kind: 'chat', text: 'hello', nick: 'alice', peerId: alice.core.peerId, ttl: 4, seq: 0, id: sent.id, ts: clock.now(), own: false });
    expect(got?.src).toMatch(/^198\.18\.1\.2:\d+$/);
    await alice.core.send(ROOM_ID, 'again');
    expect(bob.messages()[1]?.seq).toBe(1);
  });

  it('applies a TTL change to the next message and to the socket', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    await alice.core.joinRoom(ROOM);
    expect(alice.core.setTtl(ROOM_ID, 32).ttl).toBe(32);
    await alice.core.send(ROOM_ID, 'far');
    const last = net.sent.at(-1)!;
    expect(last.ttl).toBe(32);
    expect(new TextDecoder().decode(last.data)).toContain('"ttl":32');
    expect(() => alice.core.setTtl(ROOM_ID, 256)).toThrow(/between 0 and 255/);
  });

  it('sets multicast loopback on the sending sockets as configured (Linux ignores it on lo itself)', async () => {
    const net = new FakeNetwork();
    const alice = peer(net, new FakeClock(), 'alice');
    await alice.core.joinRoom({ ...ROOM, loopback: false });
    await alice.core.send(ROOM_ID, 'x');
    expect(net.sent.at(-1)?.loopback).toBe(false);
    expect(alice.core.rooms()[0]?.loopback).toBe(false);
  });

  it('shows presence: announce on join, goodbye on leave', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    const bob = peer(net, clock, 'bob');
    await bob.core.joinRoom(ROOM);
    await alice.core.joinRoom(ROOM);
    expect(bob.core.peers(ROOM_ID)).toMatchObject([{ nick: 'alice', app: 'test/1' }]);
    clock.advance(600); // bob greets the newcomer within half a second
    expect(alice.core.peers(ROOM_ID)).toMatchObject([{ nick: 'bob' }]);
    await alice.core.leaveRoom(ROOM_ID);
    expect(bob.events.filter((e) => e.type === 'peer-left')).toMatchObject([{ reason: 'bye', peer: { nick: 'alice' } }]);
    expect(bob.core.peers(ROOM_ID)).toEqual([]);
  });

  it('times out a peer that goes silent without a goodbye', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const bob = peer(net, clock, 'bob');
    await bob.core.joinRoom(ROOM);
    const carol = testPeer({ startedAt: clock.now() });
    net.inject(carol.frame({ t: 'hello', nick: 'carol', app: 'x', ivl: 5000 }), ROOM.group, ROOM.port, { address: '198.18.1.9', port: 1 });
    expect(bob.core.peers(ROOM_ID)).toHaveLength(1);
    clock.advance(16_000);
    expect(bob.core.peers(ROOM_ID)).toHaveLength(1);
    clock.advance(3_000);
    expect(bob.core.peers(ROOM_ID)).toEqual([]);
    expect(bob.events.find((e) => e.type === 'peer-left')).toMatchObject({ reason: 'timeout', peer: { nick: 'carol' } });
  });

  it('keeps announcing, so a quiet peer stays present', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    const bob = peer(net, clock, 'bob');
    await alice.core.joinRoom(ROOM);
    await bob.core.joinRoom(ROOM);
    clock.advance(60_000);
    expect(bob.core.peers(ROOM_ID)).toHaveLength(1);
    expect(alice.core.peers(ROOM_ID)).toHaveLength(1);
  });

  it('joins on every LAN interface but not virtual or loopback ones, and shows a datagram heard twice once', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice', [LOOPBACK, LAN, WIFI, DOCKER]);
    const bob = peer(net, clock, 'bob', [LAN, WIFI]);
    const snapshot = await alice.core.joinRoom(ROOM);
    expect(snapshot.interfaces.map((i) => i.name)).toEqual(['eth0', 'wlan0']);
    await bob.core.joinRoom(ROOM);
    await settle(clock, 200); // bob hears alice's greeting, with her key
    const duplicatesBefore = bob.core.counters(ROOM_ID).duplicates;
    await alice.core.send(ROOM_ID, 'once');
    // Sent on both interfaces; the fake segment hands both copies to bob's receive socket.
    expect(bob.messages().map((m) => m.text)).toEqual(['once']);
    expect(bob.core.counters(ROOM_ID).duplicates).toBe(duplicatesBefore + 1);
  });

  it('falls back to loopback with a warning when no LAN interface exists', async () => {
    const net = new FakeNetwork();
    const alone = peer(net, new FakeClock(), 'alone', [LOOPBACK, DOCKER]);
    const snapshot = await alone.core.joinRoom(ROOM);
    expect(snapshot.interfaces).toEqual([{ name: 'lo', address: '127.0.0.1' }]);
    expect(snapshot.warnings.map((w) => w.code)).toContain('LOOPBACK_ONLY');
  });

  it('refuses an interface address that is not on this machine', async () => {
    const net = new FakeNetwork();
    const p = peer(net, new FakeClock(), 'p', [LAN]);
    const error = await rejection(p.core.joinRoom({ ...ROOM, iface: '198.18.77.1' }));
    expect(error.code).toBe('INTERFACE_NOT_FOUND');
    expect(error.message).toContain('198.18.1.2 (eth0)');
    expect(() => p.core.checkRoom({ ...ROOM, iface: '198.18.77.1' })).toThrow(ChatError);
  });

  it.each([
    ['bind', 'EADDRINUSE', 'PORT_IN_USE', /Port 4242 is in use by another program/],
    ['bind', 'EACCES', 'PERMISSION_DENIED', /administrator rights/],
    ['addMembership', 'ENODEV', 'NO_SUCH_DEVICE', /interface may be down/],
    ['addMembership', 'EADDRNOTAVAIL', 'ADDRESS_NOT_AVAILABLE', /not available on this machine/],
  ] as const)('turns %s %s into %s with a readable sentence, leaving no socket open', async (method, code, expected, text) => {
    const net = new FakeNetwork();
    const p = peer(net, new FakeClock(), 'p');
    net.failNext({ method, code });
    const error = await rejection(p.core.joinRoom(ROOM));
    expect(error.code).toBe(expected);
    expect(error.message).toMatch(text);
    expect(net.openSockets()).toBe(0);
    expect(p.core.rooms()).toEqual([]);
  });

  it('joins on the interfaces that work and warns about the one that failed', async () => {
    const net = new FakeNetwork();
    const p = peer(net, new FakeClock(), 'p', [LAN, WIFI]);
    net.failNext({ method: 'addMembership', code: 'ENODEV', iface: WIFI.address });
    const snapshot = await p.core.joinRoom(ROOM);
    expect(snapshot.interfaces.map((i) => i.name)).toEqual(['eth0']);
    expect(snapshot.warnings).toMatchObject([{ code: 'PARTIAL_JOIN' }]);
  });

  it('refuses text over 8 KiB and raw datagrams over 1200 bytes, and sends nothing', async () => {
    const net = new FakeNetwork();
    const p = peer(net, new FakeClock(), 'p');
    await p.core.joinRoom(ROOM);
    const before = net.sent.length;
    expect((await rejection(p.core.send(ROOM_ID, 'x'.repeat(8193)))).code).toBe('TEXT_TOO_LONG');
    expect((await rejection(p.core.send(ROOM_ID, 'x'.repeat(1201), { raw: true }))).code).toBe('TEXT_TOO_LONG');
    expect((await rejection(p.core.send(ROOM_ID, '   '))).code).toBe('EMPTY_TEXT');
    expect((await rejection(p.core.send('239.1.1.1:1', 'hi'))).code).toBe('ROOM_NOT_FOUND');
    expect(net.sent.length).toBe(before);
  });

  it('refuses text with terminal control characters (ESC, CR, BEL, DEL, C1), raw or not; tabs and line breaks go out', async () => {
    const net = new FakeNetwork();
    const p = peer(net, new FakeClock(), 'p');
    await p.core.joinRoom(ROOM);
    const before = net.sent.length;
    for (const text of ['\u001b[31mred', 'exam\rcancelled', 'ding\u0007', 'del\u007f', 'csi\u009b2J']) {
      const error = await rejection(p.core.send(ROOM_ID, text));
      expect([error.code, error.field]).toEqual(['INVALID_ARGUMENT', 'text']);
      expect(error.message).toMatch(/control characters \(this one has U\+00[0-9A-F]{2}\)/);
      expect((await rejection(p.core.send(ROOM_ID, text, { raw: true }))).code).toBe('INVALID_ARGUMENT');
    }
    expect(net.sent.length).toBe(before);
    await p.core.send(ROOM_ID, 'a\tb\nsecond line');
    expect(net.sent.length).toBeGreaterThan(before);
  });

  it('reassembles an 8 KiB message sent in fragments', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    const bob = peer(net, clock, 'bob');
    await alice.core.joinRoom(ROOM);
    await bob.core.joinRoom(ROOM);
    await settle(clock, 200);
    const text = 'ä'.repeat(4096);
    const sent = await alice.core.send(ROOM_ID, text);
    expect(sent.fragments).toBeGreaterThan(6);
    expect(bob.messages()).toMatchObject([{ text, fragments: sent.fragments }]);
    expect(bob.core.counters(ROOM_ID).fragmentsIn).toBe(sent.fragments);
  });

  it('expires a message whose fragments never all arrive, and counts it', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const bob = peer(net, clock, 'bob');
    await bob.core.joinRoom(ROOM);
    const [first] = testPeer({ startedAt: clock.now() }).chat({ nick: 'dan', seq: 0, ttl: 1, ts: 0 }, 'y'.repeat(3000));
    net.inject(first!, ROOM.group, ROOM.port, { address: '198.18.1.5', port: 9 });
    clock.advance(11_000);
    expect(bob.messages()).toEqual([]);
    expect(bob.core.counters(ROOM_ID).incompleteExpired).toBe(1);
  });

  it('does not show its own datagrams looped back, and counts them', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    await alice.core.joinRoom(ROOM);
    const sent = await alice.core.send(ROOM_ID, 'me');
    const echoesBefore = alice.core.counters(ROOM_ID).ownEchoes;
    // The fake network does not loop back to the sender's own socket; play the OS's part.
    const echo = net.sent.at(-1)!;
    net.inject(echo.data, ROOM.group, ROOM.port, { address: '198.18.1.2', port: 1234 });
    expect(alice.messages().map((m) => m.id)).toEqual([sent.id]);
    expect(alice.core.counters(ROOM_ID).ownEchoes).toBe(echoesBefore + 1);
  });

  it('counts every kind of datagram, and the counts add up', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const bob = peer(net, clock, 'bob');
    await bob.core.joinRoom(ROOM);
    const before = bob.core.counters(ROOM_ID).datagramsIn; // bob's own announcement, looped back
    const from = { address: '198.18.1.7', port: 7 };
    const enc = new TextEncoder();
    net.inject(enc.encode('plain text'), ROOM.group, ROOM.port, from);
    net.inject(enc.encode('MCC2 {broken\n'), ROOM.group, ROOM.port, from);
    net.inject(enc.encode('MCC9 {}\n'), ROOM.group, ROOM.port, from);
    // An older app (protocol v1): another version.
    net.inject(enc.encode('MCC1 {"t":"chat"}\nhi'), ROOM.group, ROOM.port, from);
    const eve = testPeer({ startedAt: clock.now() });
    const chat = eve.chat({ nick: 'eve', seq: 0, ttl: 1, ts: 0 }, 'hi')[0]!;
    net.inject(chat, ROOM.group, ROOM.port, from);
    net.inject(chat, ROOM.group, ROOM.port, from);
    // From a peer that never introduced itself (no key), and signed by one key while claiming another's peer id.
    net.inject(testPeer({ introduce: 'introductions' }).chat({ nick: 'zed', seq: 0, ttl: 1, ts: 0 }, 'who am I')[0]!, ROOM.group, ROOM.port, from);
    net.inject(patchAscii(eve.chat({ nick: 'eve', seq: 1, ttl: 1, ts: 0 }, 'forged')[0]!, '"nick":"eve"', '"nick":"bob"'), ROOM.group, ROOM.port, from);
    // Eve's hello, then the same datagram again a minute later: a replay.
    const hello = eve.frame({ t: 'hello', nick: 'eve', app: 'x', ivl: 5000 });
    net.inject(hello, ROOM.group, ROOM.port, from);
    clock.advance(60_000);
    net.inject(hello, ROOM.group, ROOM.port, from);
    const c = bob.core.counters(ROOM_ID);
    expect(c.datagramsIn - before).toBeGreaterThanOrEqual(9);
    expect(c).toMatchObject({ rawDatagrams: 1, invalidFrames: 1, unsupportedVersion: 2, chatMessagesIn: 1, duplicates: 1, unknownSender: 1, badSignature: 1, replayed: 1 });
    expect(bob.messages().map((m) => m.text)).toEqual(['plain text', 'hi']);
    const partition =
      c.floodDropped + c.rawDatagrams + c.invalidFrames + c.unsupportedVersion + c.chatFramesIn + c.duplicates + c.presenceIn + c.controlIn + c.ownEchoes +
      c.unsigned + c.unknownSender + c.badSignature + c.replayed + c.encryptedNoKey + c.wrongKey + c.decryptFailed + c.plainInPrivate;
    expect(partition).toBe(c.datagramsIn);
    clock.advance(1_000);
    expect(bob.events.filter((e) => e.type === 'counters').at(-1)).toEqual({ type: 'counters', roomId: ROOM_ID, counters: bob.core.counters(ROOM_ID) });
  });

  it('survives a subscriber that throws', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    const bob = peer(net, clock, 'bob');
    bob.core.subscribe(() => {
      throw new Error('bad listener');
    });
    await alice.core.joinRoom(ROOM);
    await bob.core.joinRoom(ROOM);
    await settle(clock, 200);
    await alice.core.send(ROOM_ID, 'still here');
    expect(bob.messages().map((m) => m.text)).toEqual(['still here']);
  });

  it('re-announces at once when the nickname changes', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    const bob = peer(net, clock, 'bob');
    await alice.core.joinRoom(ROOM);
    await bob.core.joinRoom(ROOM);
    alice.core.setNickname('alicia');
    await Promise.resolve();
    expect(bob.core.peers(ROOM_ID)[0]?.nick).toBe('alicia');
    expect(() => alice.core.setNickname('')).toThrow(ChatError);
  });

  it('refuses to join the same room twice and closes every socket on leave', async () => {
    const net = new FakeNetwork();
    const p = peer(net, new FakeClock(), 'p', [LAN, WIFI]);
    await p.core.joinRoom(ROOM);
    expect((await rejection(p.core.joinRoom(ROOM))).code).toBe('ROOM_EXISTS');
    expect(net.openSockets()).toBe(3);
    await p.core.leaveRoom(ROOM_ID);
    expect(net.openSockets()).toBe(0);
    expect((await rejection(p.core.send(ROOM_ID, 'x'))).code).toBe('ROOM_NOT_FOUND');
  });
});
