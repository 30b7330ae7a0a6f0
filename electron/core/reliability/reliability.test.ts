import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, CoreEvent } from '../../../shared/events.js';
import { FakeNetwork, LAN } from '../../../tests/helpers/fake-network.js';
import { testPeer } from '../../../tests/helpers/signed-frames.js';
import { createChatCore } from '../chat-core.js';
import { FakeClock } from '../clock.js';
import type { NetInterface } from '../interfaces.js';
import type { ChatCore } from '../types.js';

const ROOM = { group: '239.255.42.99', port: 4242 };
const ID = '239.255.42.99:4242';
const cores: ChatCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

/** A deterministic "random" for losses, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

interface Peer {
  core: ChatCore;
  events: CoreEvent[];
  shown: () => ChatMessage[];
}

function peer(net: FakeNetwork, clock: FakeClock, nick: string, interfaces: () => NetInterface[] = () => [LAN]): Peer {
  const core = createChatCore({ nickname: nick, appVersion: 't/1', socketFactory: net.factoryFor(nick), clock, interfaces, platform: 'linux' });
  cores.push(core);
  const events: CoreEvent[] = [];
  core.subscribe((e) => events.push(e));
  return { core, events, shown: () => events.flatMap((e) => (e.type === 'message' && !e.message.own ? [e.message] : [])) };
}

const isChat = (data: Uint8Array): boolean => new TextDecoder().decode(data.subarray(0, 16)).startsWith('MCC2 {"t":"chat"');

/** Advances the fake clock in small steps, letting promise chains (paced history answers) run between them. */
async function settle(clock: FakeClock, ms: number, stepMs = 10): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(stepMs);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function sendMany(p: Peer, count: number, clock: FakeClock, everyMs = 5, label = 'message'): Promise<void> {
  for (let i = 0; i < count; i++) {
    await p.core.send(ID, `${label} ${i}`);
    clock.advance(everyMs);
  }
}

describe('loss repair', () => {
  it('delivers every message once and in per-sender order under 30 % loss', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const random = seeded(7);
    const alice = peer(net, clock, 'alice');
    const bob = peer(net, clock, 'bob');
    await alice.core.joinRoom(ROOM);
    await bob.core.joinRoom(ROOM);
    net.dropWhen = (data, to) => to.owner === 'bob' && isChat(data) && random() < 0.3;
    await sendMany(alice, 300, clock);
    clock.advance(10_000);
    const texts = bob.shown().sort((a, b) => (a.order < b.order ? -1 : 1)).map((m) => m.text);
    expect(texts).toEqual(Array.from({ length: 300 }, (_, i) => `message ${i}`));
    const c = bob.core.counters(ID);
    expect(c.lossDetected).toBeGreaterThan(50);
    expect(c.lossRecovered).toBe(c.lossDetected);
    expect(c.lossGivenUp).toBe(0);
    expect(alice.core.counters(ID).repairsSent).toBeGreaterThanOrEqual(c.lossDetected);
    // Repair traffic: resends per lost datagram stays small.
    expect(alice.core.counters(ID).repairsSent / c.lossDetected).toBeLessThan(2);
  });

  it('notices a lost last message through the trailing announcement', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    const bob = peer(net, clock, 'bob');
    await alice.core.joinRoom(ROOM);
    await bob.core.joinRoom(ROOM);
    await settle(clock, 200); // the greetings: each knows the other's key
    await alice.core.send(ID, 'first');
    let dropped = false;
    net.dropWhen = (data, to) => {
      if (dropped || to.owner !== 'bob' || !isChat(data)) return false;
      dropped = true;
      return true;
    };
    await alice.core.send(ID, 'last');
    expect(bob.shown().map((m) => m.text)).toEqual(['first']);
    clock.advance(1_000);
    expect(bob.shown().map((m) => m.text)).toEqual(['first', 'last']);
  });

  it('gives up after bounded tries and says how many messages from whom were lost', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    const bob = peer(net, clock, 'bob');
    await alice.core.joinRoom(ROOM);
    await bob.core.joinRoom(ROOM);
    await settle(clock, 200); // the greetings: each knows the other's key
    await alice.core.send(ID, 'one');
    net.dropWhen = (data, to) => to.owner === 'bob' && new TextDecoder().decode(data).includes('doomed');
    await alice.core.send(ID, 'doomed 1');
    await alice.core.send(ID, 'doomed 2');
    net.dropWhen = null;
    await alice.core.send(ID, 'three');
    await alice.core.send(ID, 'four');
    net.dropWhen = (data, to) => to.owner === 'bob' && new TextDecoder().decode(data).includes('doomed');
    clock.advance(15_000);
    expect(bob.events.filter((e) => e.type === 'gap')).toEqual([{ type: 'gap', roomId: ID, peerId: alice.core.peerId, nick: 'alice', count: 2 }]);
    expect(bob.core.counters(ID).lossGivenUp).toBe(2);
    // 12 tries over about 11 s; alice resends each doomed message at most once a second.
    expect(bob.core.counters(ID).nacksSent).toBeLessThanOrEqual(14);
    expect(alice.core.counters(ID).repairsSent).toBeLessThanOrEqual(2 * 12);
    // A copy that turns up after all (a slow path, a relay) is shown, late, and only once.
    const doomed = net.sent.find((d) => new TextDecoder().decode(d.data).includes('doomed 1'));
    expect(doomed).toBeDefined();
    net.dropWhen = null;
    const [address = '', port = '0'] = (doomed?.from ?? '').split(':');
    for (let i = 0; i < 2; i++) net.inject(doomed?.data ?? new Uint8Array(), ROOM.group, ROOM.port, { address, port: Number(port) });
    await settle(clock, 50);
    expect(bob.shown().filter((m) => m.text === 'doomed 1')).toHaveLength(1);
    expect(bob.core.counters(ID).lossRecoveredLate).toBe(1);
  });

  it('suppresses NACKs: when one receiver asks, the others hold back', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    const receivers = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map((n) => peer(net, clock, n));
    await alice.core.joinRoom(ROOM);
    for (const r of receivers) await r.core.joinRoom(ROOM);
    // Everyone has heard alice announce (with her next sequence number) before the loss.
    clock.advance(1_000);
    let drop = true;
    net.dropWhen = (data) => drop && isChat(data) && new TextDecoder().decode(data).includes('lost on all');
    await alice.core.send(ID, 'lost on all');
    drop = false;
    await alice.core.send(ID, 'after 1');
    await alice.core.send(ID, 'after 2');
    clock.advance(2_000);
    for (const r of receivers) expect(r.shown().map((m) => m.text).sort()).toEqual(['after 1', 'after 2', 'lost on all']);
    const nacks = receivers.reduce((sum, r) => sum + r.core.counters(ID).nacksSent, 0);
    expect(nacks).toBeLessThan(receivers.length);
    expect(alice.core.counters(ID).repairsSent).toBeLessThanOrEqual(2);
  });
});

describe('late joiners', () => {
  it('get recent history from one peer, not from everyone, each message once', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    const bob = peer(net, clock, 'bob');
    const dan = peer(net, clock, 'dan');
    for (const p of [alice, bob, dan]) await p.core.joinRoom(ROOM);
    await sendMany(alice, 5, clock, 5, 'alice');
    await sendMany(bob, 5, clock, 5, 'bob');
    clock.advance(60_000);
    const carol = peer(net, clock, 'carol');
    await carol.core.joinRoom(ROOM);
    await settle(clock, 5_000);
    const texts = carol.shown().map((m) => m.text);
    expect(texts).toHaveLength(10);
    expect(new Set(texts).size).toBe(10);
    expect(carol.shown().every((m) => m.history === true)).toBe(true);
    const answers = [alice, bob, dan].reduce((n, p) => n + p.core.counters(ID).historySent, 0);
    expect(answers).toBe(10);
    // History is not presence: alice and bob are present because they announce, not because of old messages.
    expect(carol.core.counters(ID).lossDetected).toBe(0);
  });
});

describe('late joiners, under loss', () => {
  it('a newcomer that loses the first copy of every history datagram still gets the whole history from the second pass', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    await alice.core.joinRoom(ROOM);
    await sendMany(alice, 8, clock, 5, 'alice');
    clock.advance(60_000);
    // At carol, the first copy of each chat datagram is lost: a history answer told once would leave her nothing.
    const seen = new Set<string>();
    net.dropWhen = (data, to) => {
      if (to.owner !== 'carol' || !isChat(data)) return false;
      const key = Buffer.from(data).toString('latin1');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    const carol = peer(net, clock, 'carol');
    await carol.core.joinRoom(ROOM);
    await settle(clock, 5_000);
    expect(carol.shown().map((m) => m.text).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `alice ${i}`).sort());
    expect(seen.size).toBe(8);
    expect(alice.core.counters(ID).historySent).toBe(8);
  });
});

describe('order', () => {
  it('keeps one order on every receiver although one sender\'s wall clock is an hour behind', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const slowClock = { now: () => clock.now() - 3_600_000, after: clock.after.bind(clock), every: clock.every.bind(clock) };
    const alice = peer(net, clock, 'alice');
    const slow = createChatCore({ nickname: 'slow', appVersion: 't/1', socketFactory: net.factoryFor('slow'), clock: slowClock, interfaces: () => [LAN], platform: 'linux' });
    cores.push(slow);
    const bob = peer(net, clock, 'bob');
    const carol = peer(net, clock, 'carol');
    for (const c of [alice.core, slow, bob.core, carol.core]) await c.joinRoom(ROOM);
    await settle(clock, 200); // the greetings: each knows the others' keys
    await alice.core.send(ID, 'question');
    clock.advance(10);
    await slow.send(ID, 'answer'); // sent after seeing the question: must sort after it everywhere
    clock.advance(10);
    await alice.core.send(ID, 'thanks');
    const orderOn = (p: Peer) => p.shown().sort((a, b) => (a.order < b.order ? -1 : 1)).map((m) => m.text);
    expect(orderOn(bob)).toEqual(['question', 'answer', 'thanks']);
    expect(orderOn(carol)).toEqual(orderOn(bob));
  });
});

describe('flood control', () => {
  it('drops and counts a flooding source, flags it, and still delivers the others', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const bob = peer(net, clock, 'bob');
    const alice = peer(net, clock, 'alice');
    await bob.core.joinRoom(ROOM);
    await alice.core.joinRoom(ROOM);
    const flooder = { address: '198.18.1.66', port: 6666 };
    const flood = testPeer({ startedAt: clock.now() });
    for (let i = 0; i < 5_000; i++) {
      const [frame] = flood.chat({ nick: 'flood', seq: i, ttl: 1, ts: clock.now() }, 'x');
      net.inject(frame!, ROOM.group, ROOM.port, flooder);
    }
    await alice.core.send(ID, 'still heard');
    clock.advance(1_000);
    const c = bob.core.counters(ID);
    expect(c.floodDropped).toBeGreaterThan(2_500);
    expect(c.floodDropped + c.chatFramesIn).toBeGreaterThanOrEqual(5_001);
    expect(bob.shown().some((m) => m.text === 'still heard')).toBe(true);
    expect(bob.events.find((e) => e.type === 'flood')).toMatchObject({ src: '198.18.1.66:6666', peerId: flood.peerId, nick: 'flood' });
    expect(bob.core.peers(ID).find((p) => p.nick === 'flood')?.flooding).toBe(true);
    clock.advance(2_000);
    expect(bob.core.peers(ID).find((p) => p.nick === 'flood')?.flooding).toBe(false);
  });
});

describe('network changes', () => {
  it('rejoins when the address changes and when the interface comes back', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    let current: NetInterface[] = [LAN];
    const p = peer(net, clock, 'roamer', () => current);
    await p.core.joinRoom(ROOM);
    current = [{ ...LAN, address: '198.18.1.77' }];
    clock.advance(2_000);
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(p.core.rooms()[0]).toMatchObject({ status: 'joined', interfaces: [{ name: 'eth0', address: '198.18.1.77' }] });
    const statuses = () => p.events.flatMap((e) => (e.type === 'room' ? [e.room.status] : []));
    expect(statuses()).toContain('reconnecting');

    current = [];
    clock.advance(2_000);
    await new Promise((r) => setImmediate(r));
    expect(p.core.rooms()[0]?.status).toBe('reconnecting');
    current = [LAN];
    clock.advance(2_000);
    await new Promise((r) => setImmediate(r));
    expect(p.core.rooms()[0]).toMatchObject({ status: 'joined', interfaces: [{ address: LAN.address }] });
    await p.core.send(ID, 'back');
  });
});
