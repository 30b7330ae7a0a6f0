import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../../shared/events.js';
import { aliceAndBob, coreOn as peer, settle } from '../../../tests/helpers/core-peers.js';
import { FakeNetwork, LAN, type FakeSocket } from '../../../tests/helpers/fake-network.js';
import { FakeClock } from '../clock.js';
import { DEFAULT_LINGER } from '../linger.js';

/**
 * "A TTL is a promise": a message is never carried further than the TTL it was sent with, by a
 * repair or a history answer, and peers outside its scope are not told they lost it. And a
 * leaving sender stays until what it sent is safe.
 */

const ROOM = { group: '239.255.42.99', port: 4242, ttl: 1 };
const ID = '239.255.42.99:4242';
/** Each peer is its own host on one subnet: TTL 0 reaches nobody else, TTL 1 everyone. */
function separateHosts(net: FakeNetwork): void {
  net.distance = (from: FakeSocket, to: FakeSocket) => (from.owner === to.owner ? 0 : 1);
}

const text = (data: Uint8Array): string => new TextDecoder().decode(data);
const isChat = (data: Uint8Array): boolean => text(data).startsWith('MCC2 {"t":"chat"');

describe('a TTL is a promise', () => {
  it('a TTL 0 message is resent only with TTL 0: a NACK from another host never brings it out', async () => {
    const { net, clock, alice, bob } = await aliceAndBob(ROOM, separateHosts);

    await alice.core.send(ID, 'before');
    alice.core.setTtl(ID, 0);
    await alice.core.send(ID, 'host only');
    alice.core.setTtl(ID, 1);
    await alice.core.send(ID, 'after one');
    await alice.core.send(ID, 'after two');
    await settle(clock, 5_000);

    expect(bob.shown().map((m) => m.text)).toEqual(['before', 'after one', 'after two']);
    // Every datagram carrying the TTL 0 message went out with TTL 0, however often it was sent.
    const secret = net.sent.filter((d) => d.from.startsWith(LAN.address) && text(d.data).includes('host only'));
    expect(secret.length).toBeGreaterThanOrEqual(1);
    expect(secret.map((d) => d.ttl)).toEqual(secret.map(() => 0));
    // Bob is outside its scope: told it was narrower, so no "could not be recovered".
    expect(bob.events.filter((e) => e.type === 'gap')).toEqual([]);
    const counters = bob.core.counters(ID);
    expect(counters.lossOutOfScope).toBe(1);
    expect(counters.lossGivenUp).toBe(0);
    // Its marker in the log ends "not meant for us", not "repaired" or "lost".
    expect(bob.events.flatMap((e) => (e.type === 'loss' ? [e.gap.state] : [])).at(-1)).toBe('outOfScope');
    // Asked for briefly (it might have been lost in scope), then closed: a bounded number of NACKs.
    expect(counters.nacksSent).toBeLessThanOrEqual(2);
  });

  it('a late joiner gets a TTL 0 message neither from its sender nor relayed by another peer', async () => {
    // Bob is in the room too: a history answer from him must not relay the TTL 0 message either.
    const { net, clock, alice } = await aliceAndBob(ROOM, separateHosts);
    await alice.core.send(ID, 'visible');
    alice.core.setTtl(ID, 0);
    await alice.core.send(ID, 'host only');
    alice.core.setTtl(ID, 1);
    await settle(clock, 3_000);

    const carol = peer(net, clock, 'carol');
    await carol.core.joinRoom(ROOM);
    await settle(clock, 3_000);
    expect(carol.shown().map((m) => m.text)).toEqual(['visible']);
    const answers = net.sent.filter((d) => text(d.data).includes('host only'));
    expect(answers.every((d) => d.ttl === 0)).toBe(true);
    // Relayed messages of others go out with TTL at most 1 (our subnet is inside their scope).
    const relayedByBob = net.sent.filter((d) => d.from.startsWith(LAN.address) && isChat(d.data) && text(d.data).includes('visible'));
    expect(relayedByBob.every((d) => d.ttl <= 1)).toBe(true);
  });

  it('a peer in scope that lost a narrower-scope message still gets it repaired, at its own TTL', async () => {
    const net = new FakeNetwork();
    // Alice and bob share a subnet; carol is one router away: TTL 1 reaches bob, not carol.
    net.distance = (from, to) => (from.owner === to.owner ? 0 : from.owner === 'carol' || to.owner === 'carol' ? 2 : 1);
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice');
    const bob = peer(net, clock, 'bob');
    const carol = peer(net, clock, 'carol');
    const wide = { ...ROOM, ttl: 32 };
    await alice.core.joinRoom(wide);
    await bob.core.joinRoom(wide);
    await carol.core.joinRoom(wide);
    await settle(clock, 500);

    await alice.core.send(ID, 'to everyone');
    alice.core.setTtl(ID, 1);
    let dropped = false;
    net.dropWhen = (data, to) => {
      if (dropped || to.owner !== 'bob' || !text(data).includes('subnet only')) return false;
      dropped = true;
      return true;
    };
    await alice.core.send(ID, 'subnet only');
    alice.core.setTtl(ID, 32);
    await alice.core.send(ID, 'to everyone again');
    await settle(clock, 5_000);

    expect(bob.shown().map((m) => m.text).sort()).toEqual(['subnet only', 'to everyone', 'to everyone again']);
    expect(carol.shown().map((m) => m.text).sort()).toEqual(['to everyone', 'to everyone again']);
    const repairs = net.sent.filter((d) => text(d.data).includes('subnet only'));
    expect(repairs.length).toBeGreaterThanOrEqual(2);
    expect(repairs.every((d) => d.ttl === 1)).toBe(true);
    expect(carol.events.filter((e) => e.type === 'gap')).toEqual([]);
    expect(carol.core.counters(ID).lossOutOfScope).toBe(1);
    expect(bob.core.counters(ID).lossRecovered).toBe(1);
  });
});

describe('a sender stays until its messages are safe', () => {
  async function lastMessageLost(linger: boolean): Promise<{ shown: string[]; aliceEvents: CoreEvent[]; lingered: number }> {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const alice = peer(net, clock, 'alice', linger ? { linger: DEFAULT_LINGER } : {});
    const bob = peer(net, clock, 'bob');
    await alice.core.joinRoom(ROOM);
    await bob.core.joinRoom(ROOM);
    await settle(clock, 500);
    for (const label of ['one', 'two']) await alice.core.send(ID, label);
    // The last message and the trailing announcements right after it are lost at bob's.
    let losing = true;
    net.dropWhen = (data, to) => losing && to.owner === 'bob' && !text(data).includes('"t":"bye"');
    await alice.core.send(ID, 'three');
    const started = clock.now();
    let closed = false;
    const closing = alice.core.close().then(() => (closed = true));
    losing = false;
    while (!closed) await settle(clock, 50);
    await closing;
    return { shown: bob.shown().map((m) => m.text), aliceEvents: alice.events, lingered: clock.now() - started };
  }

  it('without lingering, the lost last message is gone with its sender', async () => {
    const { shown } = await lastMessageLost(false);
    expect(shown).toEqual(['one', 'two']);
  });

  it('lingering, it announces where it stands, answers the NACK, then leaves once the room is quiet', async () => {
    const { shown, aliceEvents, lingered } = await lastMessageLost(true);
    expect(shown).toEqual(['one', 'two', 'three']);
    const statuses = aliceEvents.flatMap((e) => (e.type === 'room' ? [e.room.status] : []));
    expect(statuses).toContain('leaving');
    expect(statuses[statuses.length - 1]).toBe('left');
    expect(lingered).toBeGreaterThanOrEqual(DEFAULT_LINGER.quietMs);
    expect(lingered).toBeLessThanOrEqual(DEFAULT_LINGER.maxMs + 100);
  });

  it('a sender whose port is held without SO_REUSEADDR sends only: no announcement, no lingering, no goodbye', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const sender = peer(net, clock, 'teacher', { linger: DEFAULT_LINGER });
    net.failNext({ method: 'bind', code: 'EADDRINUSE', iface: '239.255.42.99' });
    const room = await sender.core.joinRoom(ROOM, { mode: 'sender' });
    expect(room.warnings.map((w) => w.code)).toContain('SEND_ONLY');
    await sender.core.send(ID, 'framed');
    let closed = false;
    void sender.core.close().then(() => (closed = true));
    await settle(clock, 20);
    expect(closed).toBe(true);
    expect(net.sent.map((d) => text(d.data).slice(0, 16))).toEqual(['MCC2 {"t":"chat"']);
  });

  it('a raw send says neither hello nor goodbye: one datagram, what the lecture\'s receiver expects', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const sender = peer(net, clock, 'teacher', { linger: DEFAULT_LINGER });
    await sender.core.joinRoom(ROOM, { mode: 'sender' });
    await sender.core.send(ID, 'Hello Everyone!', { raw: true });
    await sender.core.close();
    expect(net.sent.map((d) => text(d.data))).toEqual(['Hello Everyone!']);
  });

  it('a room that sent nothing leaves at once, and a second signal cuts the wait short', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const quiet = peer(net, clock, 'quiet', { linger: DEFAULT_LINGER });
    await quiet.core.joinRoom(ROOM);
    let closed = false;
    void quiet.core.close().then(() => (closed = true));
    await settle(clock, 20);
    expect(closed).toBe(true);

    const talker = peer(net, clock, 'talker', { linger: DEFAULT_LINGER });
    await talker.core.joinRoom(ROOM);
    await talker.core.send(ID, 'hello');
    let cut = (): void => undefined;
    const cutShort = new Promise<void>((resolve) => (cut = resolve));
    let talkerClosed = false;
    void talker.core.close({ cutShort }).then(() => (talkerClosed = true));
    await settle(clock, 100);
    expect(talkerClosed).toBe(false);
    cut();
    await settle(clock, 20);
    expect(talkerClosed).toBe(true);
  });
});
