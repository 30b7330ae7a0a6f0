import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ChatError } from '../../shared/errors.js';
import type { AppNotice } from '../../shared/ipc/contract.js';
import { rejoinSavedRooms, setupPowerHooks, setupQuit } from './lifecycle.js';
import type { SavedRoom } from './settings.js';
import { FakeCore } from './testing/fake-core.js';

const rooms: SavedRoom[] = [
  { name: 'Lobby', group: '239.255.42.99', port: 4242, ttl: 1, loopback: true },
  { name: 'Lab', group: '239.255.10.1', port: 5000, ttl: 32, iface: '192.168.1.20', loopback: false },
  { name: 'Busy', group: '239.255.10.2', port: 5001, ttl: 1, loopback: true },
];

describe('rejoining saved rooms', () => {
  it('joins each saved room with its settings and reports the ones that fail, without stopping', async () => {
    const core = new FakeCore();
    const notices: AppNotice[] = [];
    const joinRoom = vi.spyOn(core, 'joinRoom');
    joinRoom.mockImplementationOnce((config) => FakeCore.prototype.joinRoom.call(core, config));
    joinRoom.mockImplementationOnce(() => Promise.reject(new ChatError('INTERFACE_NOT_FOUND', 'No interface has the address 192.168.1.20.', 'iface')));
    const joined = await rejoinSavedRooms(rooms, { core, pinnedIface: null, notice: (n) => notices.push(n) });
    expect(joined).toBe(2);
    expect(joinRoom.mock.calls.map((c) => c[0])).toEqual([
      { name: 'Lobby', group: '239.255.42.99', port: 4242, ttl: 1, loopback: true },
      { name: 'Lab', group: '239.255.10.1', port: 5000, ttl: 32, iface: '192.168.1.20', loopback: false },
      { name: 'Busy', group: '239.255.10.2', port: 5001, ttl: 1, loopback: true },
    ]);
    expect(notices).toEqual([{ level: 'warning', message: 'Could not rejoin Lab (239.255.10.1:5000): No interface has the address 192.168.1.20.' }]);
  });

  it('uses the pinned interface for every room, over the saved one', async () => {
    const core = new FakeCore();
    const joinRoom = vi.spyOn(core, 'joinRoom');
    await rejoinSavedRooms(rooms, { core, pinnedIface: '127.0.0.1', notice: () => undefined });
    expect(joinRoom.mock.calls.map((c) => c[0].iface)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });

  it('a room already joined is not an error', async () => {
    const core = new FakeCore();
    await core.joinRoom(rooms[0]!);
    const notices: AppNotice[] = [];
    await rejoinSavedRooms(rooms.slice(0, 1), { core, pinnedIface: null, notice: (n) => notices.push(n) });
    expect(notices).toEqual([]);
  });
});

describe('quitting', () => {
  function fakeApp() {
    const app = Object.assign(new EventEmitter(), { quit: vi.fn() });
    const beforeQuit = () => {
      const event = { preventDefault: vi.fn() };
      app.emit('before-quit', event);
      return event;
    };
    return { app, beforeQuit };
  }

  it('holds the quit until rooms are left, then quits for real', async () => {
    const { app, beforeQuit } = fakeApp();
    let finish!: () => void;
    const shutdown = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    setupQuit({ app: app as never, shutdown, timeoutMs: 10_000 });
    expect(beforeQuit().preventDefault).toHaveBeenCalled();
    expect(beforeQuit().preventDefault).toHaveBeenCalled();
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(app.quit).not.toHaveBeenCalled();
    finish();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    expect(beforeQuit().preventDefault).not.toHaveBeenCalled();
  });

  it('quits anyway when leaving hangs or fails', async () => {
    const hung = fakeApp();
    setupQuit({ app: hung.app as never, shutdown: () => new Promise(() => undefined), timeoutMs: 20 });
    hung.beforeQuit();
    await vi.waitFor(() => expect(hung.app.quit).toHaveBeenCalled());
    const failing = fakeApp();
    setupQuit({ app: failing.app as never, shutdown: () => Promise.reject(new Error('EADDRNOTAVAIL')), timeoutMs: 10_000 });
    failing.beforeQuit();
    await vi.waitFor(() => expect(failing.app.quit).toHaveBeenCalled());
  });
});

describe('power', () => {
  it('asks the core to re-check the network on resume from sleep', async () => {
    const core = new FakeCore('ada');
    const power = new EventEmitter();
    setupPowerHooks(power as never, core);
    expect(core.calls.filter((c) => c.method === 'refresh')).toEqual([]);
    power.emit('resume');
    expect(core.calls.filter((c) => c.method === 'refresh')).toEqual([{ method: 'refresh', args: [] }]);
  });
});
