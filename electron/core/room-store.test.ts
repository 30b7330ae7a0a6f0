import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../shared/events.js';
import { FakeNetwork, LAN } from '../../tests/helpers/fake-network.js';
import { createChatCore } from './chat-core.js';
import { FakeClock } from './clock.js';
import { openRoomHistory, type RoomHistory } from './history/index.js';
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

function storedCore(net: FakeNetwork, clock: FakeClock, nick: string, dir: string, opened: RoomHistory[] = []): { core: ChatCore; events: CoreEvent[] } {
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
      return history;
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
    await turn();
    expect(storedWhenShown).toBe(1);
    await bob.core.send(ID, 'hi alice');
    await turn();
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
    await alice.send(ID, 'before the restart');
    await turn();
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
