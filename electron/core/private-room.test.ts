import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, CoreEvent } from '../../shared/events.js';
import { settle } from '../../tests/helpers/core-peers.js';
import { FakeNetwork, LAN } from '../../tests/helpers/fake-network.js';
import { testPeer, testRoomKey } from '../../tests/helpers/signed-frames.js';
import { createChatCore } from './chat-core.js';
import { FakeClock } from './clock.js';
import { generateIdentity } from './crypto/identity.js';
import type { RoomKey } from './crypto/room-key.js';
import { TrustStore } from './crypto/trust-store.js';
import type { ChatCore, ChatCoreOptions } from './types.js';

const ROOM = { group: '239.255.42.97', port: 4244 };
const ID = '239.255.42.97:4244';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

interface Peer {
  core: ChatCore;
  events: CoreEvent[];
  shown: () => ChatMessage[];
}

function peer(net: FakeNetwork, clock: FakeClock, nick: string, extra: Partial<ChatCoreOptions> = {}): Peer {
  const core = createChatCore({ nickname: nick, appVersion: 't/1', socketFactory: net.factoryFor(nick), clock, interfaces: () => [LAN], platform: 'linux', networkPollMs: 0, ...extra });
  cleanup.push(() => core.close());
  const events: CoreEvent[] = [];
  core.subscribe((e) => events.push(e));
  return { core, events, shown: () => events.flatMap((e) => (e.type === 'message' && !e.message.own ? [e.message] : [])) };
}

async function joined(p: Peer, key: RoomKey | null): Promise<void> {
  await p.core.joinRoom(ROOM, key ? { key } : {});
}

describe('passphrase rooms', () => {
  it('peers with the key chat; without it nothing is shown and the counters say why', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const key = testRoomKey();
    const [alice, bob, eve, carol] = ['alice', 'bob', 'eve', 'carol'].map((n) => peer(net, clock, n)) as [Peer, Peer, Peer, Peer];
    await joined(alice, key);
    await joined(bob, key);
    await joined(eve, null);
    await joined(carol, testRoomKey()); // another passphrase
    await settle(clock, 200); // the greetings: bob knows alice's key
    await alice.core.send(ID, 'only for bob');
    expect(bob.shown().map((m) => m.text)).toEqual(['only for bob']);
    expect(bob.core.peers(ID).map((p) => p.nick).sort()).toEqual(['alice']);
    expect(eve.shown()).toEqual([]);
    expect(carol.shown()).toEqual([]);
    expect(eve.core.counters(ID).encryptedNoKey).toBeGreaterThan(0);
    expect(carol.core.counters(ID).wrongKey).toBeGreaterThan(0);
    // Told apart from silence, once: a wrong passphrase, and encrypted traffic without one.
    expect(carol.events.filter((e) => e.type === 'error').map((e) => e.type === 'error' && e.error.code)).toEqual(['WRONG_PASSPHRASE']);
    expect(eve.events.find((e) => e.type === 'error')).toMatchObject({ error: { code: 'ENCRYPTION_MISMATCH' } });
    // ...naming where the datagrams came from (an address as seen, not an identity).
    const told = carol.events.find((e) => e.type === 'error');
    expect(told?.type === 'error' && told.sources?.[0]?.src).toMatch(/^[\d.]+:\d+$/);
    // The text is not on the wire, in any datagram.
    expect(net.sent.some((d) => Buffer.from(d.data).includes('only for bob'))).toBe(false);
    expect(alice.core.rooms()[0]).toMatchObject({ encrypted: true, keyId: key.id });
  });

  it('refuses a raw send, and does not show plain traffic', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const key = testRoomKey();
    const alice = peer(net, clock, 'alice');
    const plain = peer(net, clock, 'plain');
    await joined(alice, key);
    await joined(plain, null);
    await expect(alice.core.send(ID, 'hi', { raw: true })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await plain.core.send(ID, 'in the clear');
    net.inject(new TextEncoder().encode('Hello Everyone!'), ROOM.group, ROOM.port, { address: '198.18.1.3', port: 5000 });
    expect(alice.shown()).toEqual([]);
    expect(alice.core.counters(ID).plainInPrivate).toBeGreaterThanOrEqual(2);
  });

  it('rejects a tampered, a replayed, a truncated and a forged datagram, counting each and showing nothing', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const key = testRoomKey();
    const bob = peer(net, clock, 'bob');
    await joined(bob, key);
    const alice = testPeer({ key, startedAt: clock.now() });
    const from = { address: '198.18.1.2', port: 4000 };
    const [good] = alice.chat({ nick: 'alice', seq: 0, ttl: 1, ts: clock.now() }, 'genuine');
    const tampered = Uint8Array.from(good!);
    tampered[tampered.length - 87 - 20]! ^= 1; // a bit of the ciphertext (the signature line is the last 87 bytes)
    net.inject(tampered, ROOM.group, ROOM.port, from);
    // Ten bytes of ciphertext cut out, the signature line kept.
    net.inject(Uint8Array.from([...good!.subarray(0, good!.length - 97), ...good!.subarray(good!.length - 87)]), ROOM.group, ROOM.port, from);
    // Another key signs a frame claiming alice's peer id.
    const mallory = testPeer({ key, startedAt: clock.now() });
    const forged = new TextDecoder('latin1').decode(mallory.chat({ nick: 'alice', seq: 1, ttl: 1, ts: clock.now() }, 'forged')[0]!).replace(mallory.peerId, alice.peerId);
    net.inject(Uint8Array.from(forged, (ch) => ch.charCodeAt(0)), ROOM.group, ROOM.port, from);
    expect(bob.shown()).toEqual([]);
    net.inject(good!, ROOM.group, ROOM.port, from);
    expect(bob.shown().map((m) => m.text)).toEqual(['genuine']);
    clock.advance(60_000);
    net.inject(good!, ROOM.group, ROOM.port, from); // replayed a minute later
    const hello = alice.frame({ t: 'hello', nick: 'alice', app: 'x', ivl: 5_000 });
    net.inject(hello, ROOM.group, ROOM.port, from);
    clock.advance(60_000);
    net.inject(hello, ROOM.group, ROOM.port, from);
    const c = bob.core.counters(ID);
    expect(bob.shown().map((m) => m.text)).toEqual(['genuine']);
    // Tampered and truncated ciphertext fail AES-GCM; the forgery's key does not match alice's peer id.
    expect(c.decryptFailed).toBe(2);
    expect(c.badSignature).toBe(1);
    expect(c.replayed).toBe(2);
  });
});

describe('identities', () => {
  it('flags a second key using a known nickname, and remembers verified fingerprints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcchat-trust-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const trust = await TrustStore.open(join(dir, 'trust.json'), clock);
    const bob = peer(net, clock, 'bob', { trust });
    const alice = peer(net, clock, 'alice', { identity: generateIdentity() });
    await bob.core.joinRoom(ROOM);
    await alice.core.joinRoom(ROOM);
    const real = bob.core.peers(ID).find((p) => p.nick === 'alice')!;
    expect(real).toMatchObject({ fingerprint: expect.stringMatching(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/), verified: false, impersonates: null });
    bob.core.setPeerVerified(real.peerId, true);
    expect(bob.core.peers(ID).find((p) => p.peerId === real.peerId)?.verified).toBe(true);

    const impostor = peer(net, clock, 'alice');
    await impostor.core.joinRoom(ROOM);
    const fake = bob.core.peers(ID).find((p) => p.peerId === impostor.core.peerId);
    expect(fake).toMatchObject({ nick: 'alice', impersonates: real.peerId, verified: false });
    expect(bob.events.filter((e) => e.type === 'impersonation')).toMatchObject([{ peer: { peerId: impostor.core.peerId }, ownerPeerId: real.peerId }]);
    await trust.flush();
    const reopened = await TrustStore.open(join(dir, 'trust.json'), clock);
    expect(reopened.isVerified(real.peerId)).toBe(true);
  });
});
