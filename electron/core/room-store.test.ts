import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, CoreEvent } from '../../shared/events.js';
import { FakeNetwork, LAN } from '../../tests/helpers/fake-network.js';
import { textOf } from '../../tests/helpers/signed-frames.js';
import { createChatCore } from './chat-core.js';
import { FakeClock } from './clock.js';
import { openRoomHistory, type RoomHistory } from './history/index.js';
import { RoomStore } from './room-store.js';
import type { ChatCore } from './types.js';

const ROOM = { group: '239.255.42.98', port: 4243 };
const ID = '239.255.42.98:4243';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const task of cleanup.splice(0).reverse()) await task();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcchat-store-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/**
 * Lets queued work run: the fake network's deliveries (a turn) and the store's batch, which waits
 * for a turn of whichever clock the room gave it (0 ms on the fake clock, or setImmediate).
 */
async function settle(clock: FakeClock): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await turn();
    clock.advance(0);
  }
}

function chat(id: string, own = false): ChatMessage {
  return {
    kind: 'chat',
    roomId: ID,
    id,
    text: `text ${id}`,
    nick: own ? 'me' : 'alice',
    peerId: own ? 'bbbb000000000002' : 'aaaa000000000001',
    src: '127.0.0.1:5000',
    ttl: 1,
    seq: 1,
    ts: 1,
    receivedAt: 1,
    own,
    fragments: 1,
    bytes: 10,
    order: `000000000000001.${id.padStart(6, '0')}.aaaa000000000001`,
  };
}

describe('RoomStore on its own', () => {
  async function store(clock: FakeClock): Promise<{ store: RoomStore; history: RoomHistory; shown: { text: string; stored: number }[] }> {
    const history = await openRoomHistory(await tempDir(), ID, { clock });
    const shown: { text: string; stored: number }[] = [];
    const roomStore = new RoomStore(
      history,
      (e) => {
        if (e.type === 'message') shown.push({ text: e.message.text, stored: history.stats().records });
      },
      clock,
    );
    cleanup.push(() => roomStore.close());
    return { store: roomStore, history, shown };
  }

  it('writes a burst in one batch at the next tick of its clock, and only then shows it', async () => {
    const clock = new FakeClock();
    const { store: s, history, shown } = await store(clock);
    for (const id of ['1', '2', '3']) s.deliver(chat(id), null);
    // Real time passing changes nothing: only the store's clock lets the batch go.
    await turn();
    await turn();
    expect(shown).toEqual([]);
    expect(history.stats().records).toBe(0);
    clock.advance(0);
    expect(shown).toEqual([
      { text: 'text 1', stored: 3 },
      { text: 'text 2', stored: 3 },
      { text: 'text 3', stored: 3 },
    ]);
    expect(history.stats().bytes).toBeGreaterThan(0);
  });

  it('stores our own message (and what was queued before it) before deliver returns: send hands it to the window at once', async () => {
    const clock = new FakeClock();
    const { store: s, history, shown } = await store(clock);
    s.deliver(chat('1'), null);
    s.deliver(chat('2', true), [new Uint8Array([1, 2, 3])]);
    expect(history.stats().records).toBe(2);
    const page = await s.page(undefined, 10);
    expect(page.messages.map((m) => [m.text, m.own, m.history])).toEqual([
      ['text 1', false, true],
      ['text 2', true, true],
    ]);
    // The events still wait for the batch, in the order the messages came.
    expect(shown).toEqual([]);
    clock.advance(0);
    expect(shown.map((e) => e.text)).toEqual(['text 1', 'text 2']);
    // Written once: the batch does not append them a second time.
    expect(history.stats().records).toBe(2);
  });

  it('close writes and shows what is pending, and later messages go straight out', async () => {
    const clock = new FakeClock();
    const { store: s, history, shown } = await store(clock);
    s.deliver(chat('1'), null);
    await s.close();
    expect(shown).toEqual([{ text: 'text 1', stored: 1 }]);
    s.deliver(chat('2'), null);
    expect(shown.map((e) => e.text)).toEqual(['text 1', 'text 2']);
    expect(history.stats().records).toBe(1);
  });
});

/** The history, telling when its stored keys have been read (the room reads them in the background). */
function withKeysDone(history: RoomHistory, done: () => void): RoomHistory {
  return new Proxy(history, {
    get(target, property, receiver) {
      if (property === 'keys') return (onKey: (key: string) => void) => target.keys(onKey).finally(done);
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function storedCore(
  net: FakeNetwork,
  clock: FakeClock,
  nick: string,
  dir: string,
  opened: RoomHistory[] = [],
  wrap: (history: RoomHistory) => RoomHistory = (history) => history,
): { core: ChatCore; events: CoreEvent[] } {
  const core = createChatCore({
    nickname: nick,
    appVersion: 't/1',
    socketFactory: net.factoryFor(nick),
    clock,
    interfaces: () => [LAN],
    platform: 'linux',
    networkPollMs: 0,
    openHistory: async (roomId) => {
      const history = await openRoomHistory(dir, roomId, { clock });
      opened.push(history);
      return wrap(history);
    },
  });
  cleanup.push(() => core.close());
  const events: CoreEvent[] = [];
  core.subscribe((e) => events.push(e));
  return { core, events };
}

describe('room history in the core', () => {
  it('stores a message before it is shown, and pages it back after a restart', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const dir = await tempDir();
    const opened: RoomHistory[] = [];
    const bob = storedCore(net, clock, 'bob', dir, opened);
    const alice = createChatCore({ nickname: 'alice', appVersion: 't/1', socketFactory: net.factoryFor('alice'), clock, interfaces: () => [LAN], platform: 'linux', networkPollMs: 0 });
    cleanup.push(() => alice.close());
    await bob.core.joinRoom(ROOM);
    await alice.joinRoom(ROOM);
    let storedWhenShown = -1;
    bob.core.subscribe((e) => {
      if (e.type === 'message' && storedWhenShown < 0) storedWhenShown = opened[0]!.stats().records;
    });
    await alice.send(ID, 'hello bob');
    expect(bob.events.some((e) => e.type === 'message')).toBe(false);
    await settle(clock);
    expect(storedWhenShown).toBe(1);
    await bob.core.send(ID, 'hi alice');
    await settle(clock);
    await bob.core.close();

    const again = storedCore(net, clock, 'bob', dir);
    await again.core.joinRoom(ROOM);
    const page = await again.core.history(ID, { limit: 10 });
    expect(page.messages.map((m) => [m.text, m.own, m.history])).toEqual([
      ['hello bob', false, true],
      ['hi alice', true, true],
    ]);
    expect(page.before).toBeNull();
    expect((await again.core.searchHistory(ID, 'BOB', 5)).map((m) => m.text)).toEqual(['hello bob']);
  });

  it('does not show a stored message again when a peer answers the history request after a restart', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const dir = await tempDir();
    const alice = createChatCore({ nickname: 'alice', appVersion: 't/1', socketFactory: net.factoryFor('alice'), clock, interfaces: () => [LAN], platform: 'linux', networkPollMs: 0 });
    cleanup.push(() => alice.close());
    await alice.joinRoom(ROOM);
    const bob = storedCore(net, clock, 'bob', dir);
    await bob.core.joinRoom(ROOM);
    for (let t = 0; t < 20; t++) {
      clock.advance(10); // alice's greeting: bob knows her key
      await turn();
    }
    await alice.send(ID, 'before the restart');
    await settle(clock);
    await bob.core.close();
    clock.advance(5_000);

    const again = storedCore(net, clock, 'bob', dir);
    await again.core.joinRoom(ROOM);
    for (let t = 0; t < 100; t++) {
      clock.advance(10);
      await turn();
    }
    expect(alice.counters(ID).historySent).toBe(1);
    expect(again.events.filter((e) => e.type === 'message')).toEqual([]);
    expect(again.core.counters(ID).duplicates).toBeGreaterThanOrEqual(1);
  });

  it('after a restart, a replay of a stored message older than the newest 200 is not shown again', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const dir = await tempDir();
    const alice = createChatCore({ nickname: 'alice', appVersion: 't/1', socketFactory: net.factoryFor('alice'), clock, interfaces: () => [LAN], platform: 'linux', networkPollMs: 0 });
    cleanup.push(() => alice.close());
    await alice.joinRoom(ROOM);
    const bob = storedCore(net, clock, 'bob', dir);
    await bob.core.joinRoom(ROOM);
    for (let t = 0; t < 20; t++) {
      clock.advance(10); // alice's greeting: bob knows her key
      await turn();
    }
    for (let i = 0; i < 300; i++) {
      await alice.send(ID, `message ${i}`);
      clock.advance(5);
    }
    await settle(clock);
    const captured = net.sent.find((d) => new TextDecoder().decode(d.data).includes('"message 5"') || textOf(d.data).endsWith('message 5'));
    expect(captured).toBeDefined();
    await bob.core.close();
    clock.advance(5_000);

    let indexed: () => void = () => undefined;
    const keysRead = new Promise<void>((resolve) => (indexed = resolve));
    const opened: RoomHistory[] = [];
    const again = storedCore(net, clock, 'bob', dir, opened, (history) => withKeysDone(history, indexed));
    await again.core.joinRoom(ROOM);
    await keysRead;
    for (let t = 0; t < 20; t++) {
      clock.advance(10); // alice greets the restarted bob: he knows her key again
      await turn();
    }
    const [address = '', port = '0'] = (captured?.from ?? '').split(':');
    net.inject(captured?.data ?? new Uint8Array(), ROOM.group, ROOM.port, { address, port: Number(port) });
    await settle(clock);
    const shown = again.events.flatMap((e) => (e.type === 'message' ? [e.message.text] : []));
    expect(shown).not.toContain('message 5');
    expect(again.core.counters(ID).duplicates).toBeGreaterThanOrEqual(1);
  });

  it('reports a history that cannot be opened and still joins', async () => {
    const net = new FakeNetwork();
    const clock = new FakeClock();
    const core = createChatCore({
      nickname: 'bob',
      appVersion: 't/1',
      socketFactory: net.factory,
      clock,
      interfaces: () => [LAN],
      platform: 'linux',
      networkPollMs: 0,
      openHistory: () => Promise.reject(new Error('EACCES: permission denied')),
    });
    cleanup.push(() => core.close());
    const events: CoreEvent[] = [];
    core.subscribe((e) => events.push(e));
    const room = await core.joinRoom(ROOM);
    expect(room.status).toBe('joined');
    expect(events.find((e) => e.type === 'error')).toMatchObject({ error: { code: 'HISTORY_UNAVAILABLE', message: expect.stringContaining('not stored') } });
    expect(await core.history(ID, { limit: 5 })).toEqual({ messages: [], before: null });
  });
});
