import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatError } from '../../shared/errors.js';
import type { CoreEvent, ReachResult, RoomSnapshot } from '../../shared/events.js';
import type { OsMemberships } from '../../shared/group-view.js';
import { COMMAND_NAMES, commandChannel, eventChannel, type AppNotice, type CommandName, type CommandResults } from '../../shared/ipc/contract.js';
import type { Result } from '../../shared/ipc/result.js';
import { createChatCore } from '../core/chat-core.js';
import { FakeClock } from '../core/clock.js';
import type { ChatCore } from '../core/types.js';
import { makeIsAppUrl } from './app-protocol.js';
import { checkExternalUrl } from './commands.js';
import { BATCH_MAX_SIZE, BATCH_WAIT_MS, MAX_HELD_EVENTS, FORBIDDEN_SENDER, setupIpcBridge, type BridgeWindow, type IpcBridge } from './ipc-bridge.js';
import { createSettingsStore, type SettingsFs, type SettingsStore } from './settings.js';
import { FakeCore } from './testing/fake-core.js';
import { FakeIpcMain, FakeWebContents, FakeWindow, invokeEvent, type FakeInvokeEvent } from './testing/fake-electron.js';
import { deriveRoomKey } from '../core/crypto/room-key.js';
import type { RoomKeyVault } from './room-keys.js';
import { wireStory } from '../../shared/wire-story.js';

/** Cheap scrypt and a pretend keychain: what matters here is what crosses IPC and what is saved. */
const TEST_KEYS: RoomKeyVault = {
  derive: (passphrase, group, port) => deriveRoomKey(passphrase, group, port, { N: 1024 }),
  protect: () => 'c2VhbGVkIGJ5IHRoZSBrZXljaGFpbg==',
  restore: () => null,
};

const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  // A settings save may still be renaming its temporary file in: rm retries on ENOTEMPTY.
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
});

interface Options {
  readonly core?: ChatCore;
  readonly pinnedIface?: string | null;
  readonly clock?: FakeClock | null;
  readonly fs?: SettingsFs;
  readonly appUrl?: string;
  readonly readMemberships?: () => Promise<OsMemberships>;
}

/** What the OS would say: eth0 (the fake core's interface) holds the lobby's group. */
const OS_HOLDS_LOBBY: OsMemberships = {
  available: true,
  source: '/proc/net/igmp',
  interfaces: [
    { name: 'lo', groups: ['224.0.0.1'] },
    { name: 'eth0', groups: ['239.255.42.99', '224.0.0.1'] },
  ],
};

async function setup(options: Options = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mcchat-bridge-'));
  dirs.push(dir);
  const settings: SettingsStore = createSettingsStore({ dir, makePeerId: () => 'aaaaaaaaaaaaaaaa', ...(options.fs ? { fs: options.fs } : {}) });
  await settings.load();
  const fake = new FakeCore();
  const core = options.core ?? fake;
  const ipc = new FakeIpcMain();
  const win = new FakeWindow(options.appUrl ?? 'app://mcchat/index.html');
  let current: FakeWindow | null = win;
  const clock = options.clock === null ? undefined : (options.clock ?? new FakeClock());
  const opened: string[] = [];
  const onFirstNickname = vi.fn();
  const bridge: IpcBridge = setupIpcBridge({
    ipcMain: ipc.asIpcMain(),
    core,
    settings,
    keys: TEST_KEYS,
    getWindow: () => current as unknown as BridgeWindow | null,
    isAppUrl: makeIsAppUrl(null),
    openExternal: async (url) => {
      opened.push(url);
    },
    appVersion: '0.1.0',
    pinnedIface: options.pinnedIface ?? null,
    ...(clock ? { clock } : {}),
    onFirstNickname,
    readMemberships: options.readMemberships ?? (async () => OS_HOLDS_LOBBY),
  });
  bridge.attachWindow(win as unknown as BridgeWindow);
  cleanups.push(() => bridge.dispose());

  function call<K extends CommandName>(name: K, arg?: unknown, event: FakeInvokeEvent = invokeEvent(win.webContents)): Promise<Result<CommandResults[K]>> {
    return ipc.invoke(commandChannel(name), event, arg) as Promise<Result<CommandResults[K]>>;
  }
  const pushes = () => win.webContents.sentOn(eventChannel('core')) as CoreEvent[][];
  const notices = () => win.webContents.sentOn(eventChannel('notice')) as AppNotice[];
  return {
    dir,
    settings,
    fake,
    core,
    ipc,
    win,
    clock,
    opened,
    bridge,
    onFirstNickname,
    call,
    pushes,
    notices,
    closeWindow: () => {
      current = null;
    },
  };
}

function expectError<T>(result: Result<T>): { code: string; message: string; field?: string } {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.error;
}

function expectValue<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

const lobby = { name: 'Lobby', group: '239.255.42.99', port: 4242, ttl: 1, loopback: true };

describe('IPC bridge: handlers', () => {
  it('registers one handler per command of the contract, and dispose removes them and the core subscription', async () => {
    const t = await setup();
    expect([...t.ipc.handlers.keys()].sort()).toEqual(COMMAND_NAMES.map(commandChannel).sort());
    expect(t.fake.listenerCount()).toBe(1);
    t.bridge.dispose();
    expect(t.ipc.handlers.size).toBe(0);
    expect(t.fake.listenerCount()).toBe(0);
  });

  it('answers a good call with {ok: true, value}', async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', { group: '239.255.1.2', port: 5000, ttl: 1 }));
    expect(room).toMatchObject({ roomId: '239.255.1.2:5000', group: '239.255.1.2', port: 5000, status: 'joined' });
    const state = expectValue(await t.call('getState'));
    expect(state).toMatchObject({ appVersion: '0.1.0', peerId: t.fake.peerId, nickname: 'tester', firstRun: true, pinnedIface: null });
    expect(state.rooms.map((r) => r.roomId)).toEqual(['239.255.1.2:5000']);
    expect(state.interfaces).toEqual(t.fake.interfaces);
    const message = expectValue(await t.call('sendMessage', { roomId: room.roomId, text: 'hi' }));
    expect(message.text).toBe('hi');
    expect(t.fake.calls.find((c) => c.method === 'send')?.args).toEqual([room.roomId, 'hi', { raw: false }]);
  });
});

describe('IPC bridge: sender check', () => {
  it('refuses a call from another web contents', async () => {
    const t = await setup();
    const stranger = new FakeWebContents('app://mcchat/index.html');
    const result = await t.call('joinRoom', lobby, invokeEvent(stranger));
    expect(result).toEqual({ ok: false, error: FORBIDDEN_SENDER });
    expect(t.fake.calls).toEqual([]);
  });

  it('refuses a call from a sub-frame of the app window', async () => {
    const t = await setup();
    const iframe = { url: 'app://mcchat/index.html' };
    const result = await t.call('setNickname', 'mallory', invokeEvent(t.win.webContents, iframe));
    expect(expectError(result).code).toBe('FORBIDDEN');
    expect(t.fake.nickname).toBe('tester');
  });

  it('refuses a call when the main frame shows a foreign page, or the frame is gone', async () => {
    const t = await setup({ appUrl: 'https://evil.example/' });
    expect(await t.call('getState')).toEqual({ ok: false, error: FORBIDDEN_SENDER });
    const u = await setup();
    expect(await u.call('getState', undefined, invokeEvent(u.win.webContents, null))).toEqual({ ok: false, error: FORBIDDEN_SENDER });
  });

  it('refuses every call once the window is gone', async () => {
    const t = await setup();
    const event = invokeEvent(t.win.webContents);
    t.closeWindow();
    expect(await t.call('getState', undefined, event)).toEqual({ ok: false, error: FORBIDDEN_SENDER });
  });
});

describe('IPC bridge: payloads', () => {
  it('refuses a joinRoom with a group that is not multicast, naming the field', async () => {
    const t = await setup();
    const error = expectError(await t.call('joinRoom', { group: '1.2.3.4', port: 4242 }));
    expect(error).toMatchObject({ code: 'INVALID_GROUP', field: 'group' });
    expect(error.message).toMatch(/multicast/);
    expect(t.fake.calls).toEqual([]);
  });

  it('refuses setTtl 300', async () => {
    const t = await setup();
    expect(expectError(await t.call('setTtl', { roomId: '239.255.42.99:4242', ttl: 300 }))).toMatchObject({ code: 'INVALID_TTL', field: 'ttl' });
  });

  it('refuses sendMessage with a number as text, and says where', async () => {
    const t = await setup();
    const error = expectError(await t.call('sendMessage', { roomId: '239.255.42.99:4242', text: 42 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('sendMessage (text)');
  });

  it('refuses an empty or overlong message, a bad nickname, a non-string link, a missing object', async () => {
    const t = await setup();
    expect(expectError(await t.call('sendMessage', { roomId: 'r', text: '' })).code).toBe('EMPTY_TEXT');
    expect(expectError(await t.call('sendMessage', { roomId: 'r', text: 'x'.repeat(9000) })).code).toBe('TEXT_TOO_LONG');
    expect(expectError(await t.call('setNickname', 'a\nb'))).toMatchObject({ code: 'INVALID_NICKNAME', field: 'nickname' });
    expect(expectError(await t.call('openExternal', 42)).code).toBe('INVALID_ARGUMENT');
    expect(expectError(await t.call('joinRoom', 'lobby')).code).toBe('INVALID_ARGUMENT');
    expect(expectError(await t.call('leaveRoom', '')).code).toBe('INVALID_ARGUMENT');
    expect(t.fake.calls).toEqual([]);
  });

  it('turns a ChatError thrown by the core into its code, message and field', async () => {
    const t = await setup();
    t.fake.failNext('joinRoom', new ChatError('PORT_IN_USE', 'Port 4242 is used by another program.', 'port'));
    expect(await t.call('joinRoom', lobby)).toEqual({
      ok: false,
      error: { code: 'PORT_IN_USE', message: 'Port 4242 is used by another program.', field: 'port' },
    });
  });

  it('turns any other exception into INTERNAL without a stack trace, and never rejects the invoke', async () => {
    const t = await setup();
    t.fake.failNext('joinRoom', new TypeError('boom'));
    const error = expectError(await t.call('joinRoom', lobby));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain('boom');
    expect(error.message).not.toMatch(/\n\s+at /);
  });
});

describe('IPC bridge: getGroupView', () => {
  it("answers with the group's Ethernet address, the groups sharing it and the interfaces the OS holds it on", async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', lobby));
    expect(expectValue(await t.call('getGroupView', room.roomId))).toEqual({
      roomId: '239.255.42.99:4242',
      group: '239.255.42.99',
      mac: '01:00:5e:7f:2a:63',
      sharedWith: 31,
      examples: ['224.127.42.99', '224.255.42.99'],
      linkLocal: false,
      os: { available: true, source: '/proc/net/igmp', holders: ['eth0'], missing: [] },
    });
  });

  it('reads the OS afresh on every call, and passes on why it could not', async () => {
    let calls = 0;
    const t = await setup({
      readMemberships: async () => (++calls === 1 ? OS_HOLDS_LOBBY : { available: false, reason: 'netstat -g -n printed nothing' }),
    });
    const room = expectValue(await t.call('joinRoom', { ...lobby, group: '224.0.0.251', port: 5353 }));
    expect(expectValue(await t.call('getGroupView', room.roomId)).os).toEqual({ available: true, source: '/proc/net/igmp', holders: [], missing: ['eth0'] });
    const second = expectValue(await t.call('getGroupView', room.roomId));
    expect(second).toMatchObject({ mac: '01:00:5e:00:00:fb', linkLocal: true, os: { available: false, reason: 'netstat -g -n printed nothing' } });
    expect(calls).toBe(2);
  });

  it('checks what the OS printed before it reaches the page', async () => {
    const t = await setup({ readMemberships: async () => ({ available: true, source: 'netstat -g -n', interfaces: [{ name: 'e'.repeat(5000), groups: ['239.255.42.99'] }] }) });
    const room = expectValue(await t.call('joinRoom', lobby));
    expect(expectValue(await t.call('getGroupView', room.roomId)).os).toEqual({ available: false, reason: "the system's answer did not pass the checks (os.holders.0)" });
  });

  it('refuses a room that is not joined and a payload that is not a room id, without asking the OS', async () => {
    const readMemberships = vi.fn(async () => OS_HOLDS_LOBBY);
    const t = await setup({ readMemberships });
    expect(expectError(await t.call('getGroupView', '239.255.9.9:4242')).code).toBe('ROOM_NOT_FOUND');
    for (const bad of [undefined, 42, '', 'x'.repeat(129), { roomId: 'r1' }]) expect(expectError(await t.call('getGroupView', bad)).code).toBe('INVALID_ARGUMENT');
    expect(readMemberships).not.toHaveBeenCalled();
  });

  it('refuses a call from another web contents before anything is read', async () => {
    const readMemberships = vi.fn(async () => OS_HOLDS_LOBBY);
    const t = await setup({ readMemberships });
    const room = expectValue(await t.call('joinRoom', lobby));
    expect(await t.call('getGroupView', room.roomId, invokeEvent(new FakeWebContents('app://mcchat/index.html')))).toEqual({ ok: false, error: FORBIDDEN_SENDER });
    expect(readMemberships).not.toHaveBeenCalled();
  });
});

describe('IPC bridge: getMeter', () => {
  it("answers with the core's per-peer meters of a joined room, and refuses anything else", async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', lobby));
    expect(expectValue(await t.call('getMeter', room.roomId))).toEqual([]);
    expect(t.fake.calls.filter((c) => c.method === 'meter')).toEqual([{ method: 'meter', args: [room.roomId] }]);
    expect(expectError(await t.call('getMeter', '239.255.9.9:4242')).code).toBe('ROOM_NOT_FOUND');
    for (const bad of [undefined, 42, '', 'x'.repeat(129), { roomId: 'r1' }]) expect(expectError(await t.call('getMeter', bad)).code).toBe('INVALID_ARGUMENT');
  });
});

describe('IPC bridge: getMessageWire', () => {
  const alice = 'a11ce0000000000a';
  const id = '0123456789abcdef';
  const datagram = Buffer.from('MCC2 {"t":"chat"}\nhi').toString('base64');

  it("answers with the message's datagrams as the core holds them, by sender and id; null when it holds none", async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', lobby));
    t.fake.wires.set(`${alice}/${id}`, [datagram, datagram]);
    expect(expectValue(await t.call('getMessageWire', { roomId: room.roomId, peerId: alice, id }))).toEqual([datagram, datagram]);
    expect(expectValue(await t.call('getMessageWire', { roomId: room.roomId, peerId: alice, id: 'fedcba9876543210' }))).toBeNull();
    expect(t.fake.calls.filter((c) => c.method === 'wireOf').map((c) => c.args)).toEqual([
      [room.roomId, `${alice}/${id}`],
      [room.roomId, `${alice}/fedcba9876543210`],
    ]);
  });

  it('refuses a payload that is not a room, a 16-hex peer id and a 16-hex message id, before the core is asked', async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', lobby));
    const bad = [undefined, room.roomId, { roomId: room.roomId, peerId: alice }, { roomId: room.roomId, peerId: '../etc', id }, { roomId: room.roomId, peerId: alice, id: `${id}/x` }, { roomId: '', peerId: alice, id }];
    for (const arg of bad) expect(expectError(await t.call('getMessageWire', arg)).code).toBe('INVALID_ARGUMENT');
    expect(t.fake.calls.some((c) => c.method === 'wireOf')).toBe(false);
    expect(expectError(await t.call('getMessageWire', { roomId: '239.255.9.9:4242', peerId: alice, id })).code).toBe('ROOM_NOT_FOUND');
  });

  it('passes on only what looks like datagrams: anything else is "not held"', async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', lobby));
    for (const wire of [[], ['<script>'], Array.from({ length: 17 }, () => datagram), ['A'.repeat(100_000)]]) {
      t.fake.wires.set(`${alice}/${id}`, wire);
      expect(expectValue(await t.call('getMessageWire', { roomId: room.roomId, peerId: alice, id }))).toBeNull();
    }
  });
});

describe('IPC bridge: probeReach', () => {
  const bob = { peerId: 'b0b0000000000001', nick: 'bob', src: '192.0.2.20:4242' };
  const dave = { peerId: 'da7e000000000002', nick: 'dave', src: '198.51.100.7:4242' };

  /** A probe the test finishes when it likes, as the real one takes seconds. */
  function heldProbe(t: Awaited<ReturnType<typeof setup>>) {
    const pending: { resolve: (rows: ReachResult[]) => void; reject: (error: Error) => void }[] = [];
    vi.spyOn(t.fake, 'probeReach').mockImplementation((roomId, ttlMax) => {
      t.fake.calls.push({ method: 'probeReach', args: [roomId, ttlMax] });
      return new Promise<ReachResult[]>((resolve, reject) => pending.push({ resolve, reject }));
    });
    return pending;
  }

  it("asks the core up to the given TTL (8 unless told) and answers per TTL with the peers first reached there", async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', lobby));
    const rows = expectValue(await t.call('probeReach', { roomId: room.roomId }));
    expect(rows.map((r) => r.ttl)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    vi.spyOn(t.fake, 'probeReach').mockResolvedValue([
      { ttl: 1, peers: [bob] },
      { ttl: 2, peers: [dave] },
      { ttl: 3, peers: [] },
    ]);
    expect(expectValue(await t.call('probeReach', { roomId: room.roomId, ttlMax: 3 }))).toEqual([
      { ttl: 1, peers: [bob] },
      { ttl: 2, peers: [dave] },
      { ttl: 3, peers: [] },
    ]);
    expect(t.fake.calls.filter((c) => c.method === 'probeReach').map((c) => c.args)).toEqual([[room.roomId, 8]]);
    expect(vi.mocked(t.fake.probeReach)).toHaveBeenLastCalledWith(room.roomId, 3);
  });

  it('refuses a TTL limit outside 1-32, or not a whole number, before the core is asked', async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', lobby));
    for (const ttlMax of [0, 33, 255, -1]) {
      expect(expectError(await t.call('probeReach', { roomId: room.roomId, ttlMax }))).toEqual({ code: 'INVALID_TTL', field: 'ttl', message: 'The TTL limit must be from 1 to 32.' });
    }
    // Not a whole number is a wrong type to zod: still a sentence, named by the payload's key.
    expect(expectError(await t.call('probeReach', { roomId: room.roomId, ttlMax: 2.5 }))).toEqual({ code: 'INVALID_ARGUMENT', message: 'probeReach (ttlMax): The TTL limit must be a whole number from 1 to 32.' });
    for (const arg of [undefined, room.roomId, { roomId: room.roomId, ttlMax: '8' }, { ttlMax: 3 }]) expect(expectError(await t.call('probeReach', arg)).code).toBe('INVALID_ARGUMENT');
    expect(t.fake.calls.some((c) => c.method === 'probeReach')).toBe(false);
    expect(expectError(await t.call('probeReach', { roomId: '239.255.9.9:4242' })).code).toBe('ROOM_NOT_FOUND');
  });

  it('does not hold up other calls while it runs; a second probe of the same room is refused until the first has answered', async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', lobby));
    const other = expectValue(await t.call('joinRoom', { ...lobby, name: 'Class', port: 4243 }));
    const pending = heldProbe(t);
    const first = t.call('probeReach', { roomId: room.roomId, ttlMax: 8 });
    // Answered while the probe is out.
    expect(expectValue(await t.call('getPeers', room.roomId))).toEqual([]);
    expect(expectValue(await t.call('getCounters', room.roomId)).datagramsIn).toBe(0);
    const second = expectError(await t.call('probeReach', { roomId: room.roomId, ttlMax: 3 }));
    expect(second).toEqual({ code: 'PROBE_RUNNING', message: 'A probe of Lobby is already running (up to TTL 8, about 3 s): wait for its answer.' });
    // Another room may probe meanwhile.
    const inOther = t.call('probeReach', { roomId: other.roomId, ttlMax: 2 });
    expect(pending).toHaveLength(2);
    pending[0]?.resolve([{ ttl: 1, peers: [bob] }]);
    pending[1]?.resolve([{ ttl: 1, peers: [] }, { ttl: 2, peers: [dave] }]);
    expect(expectValue(await first)).toEqual([{ ttl: 1, peers: [bob] }]);
    expect(expectValue(await inOther)).toEqual([{ ttl: 1, peers: [] }, { ttl: 2, peers: [dave] }]);
    // Over: the room may probe again.
    const again = t.call('probeReach', { roomId: room.roomId, ttlMax: 1 });
    pending[2]?.resolve([{ ttl: 1, peers: [] }]);
    expect(expectValue(await again)).toEqual([{ ttl: 1, peers: [] }]);
  });

  it("passes on the core's refusal as a sentence, and the room may probe again after it", async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', lobby));
    const pending = heldProbe(t);
    const failing = t.call('probeReach', { roomId: room.roomId });
    pending[0]?.reject(new ChatError('NOT_JOINED', 'Room Lobby cannot probe: it is joined passively and sends nothing.'));
    expect(expectError(await failing)).toEqual({ code: 'NOT_JOINED', message: 'Room Lobby cannot probe: it is joined passively and sends nothing.' });
    const retry = t.call('probeReach', { roomId: room.roomId });
    pending[1]?.reject(new Error('send EHOSTUNREACH'));
    const internal = expectError(await retry);
    expect(internal.code).toBe('INTERNAL');
    expect(internal.message).toBe('Something went wrong inside Multicast Chat: send EHOSTUNREACH');
  });

  it('passes on only peers that look like peers: a bad id, name or source is left out, the rows stay', async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', lobby));
    vi.spyOn(t.fake, 'probeReach').mockResolvedValue([
      { ttl: 1, peers: [bob, { ...bob, peerId: 'B0B' }, { ...bob, nick: 'bob\u202ebo' }, { ...bob, nick: '' }, { ...bob, nick: 'x'.repeat(65) }] },
      { ttl: 2, peers: [dave, { ...dave, src: '<img src=x>' }, { ...dave, src: '198.51.100.7:' }, { ...dave, src: '198.51.100.7:70000' }] },
    ]);
    expect(expectValue(await t.call('probeReach', { roomId: room.roomId, ttlMax: 2 }))).toEqual([
      { ttl: 1, peers: [bob] },
      { ttl: 2, peers: [dave] },
    ]);
  });
});

describe('IPC bridge: openExternal', () => {
  it('refuses javascript:, file: and non-URLs, and opens https', async () => {
    const t = await setup();
    expect(expectError(await t.call('openExternal', 'javascript:alert(1)')).code).toBe('INVALID_ARGUMENT');
    expect(expectError(await t.call('openExternal', 'file:///etc/passwd')).code).toBe('INVALID_ARGUMENT');
    expect(expectError(await t.call('openExternal', 'not a url')).code).toBe('INVALID_ARGUMENT');
    expect(expectError(await t.call('openExternal', 'https://user:pw@example.com/')).code).toBe('INVALID_ARGUMENT');
    expect(t.opened).toEqual([]);
    expect(await t.call('openExternal', 'https://example.com/a b')).toEqual({ ok: true, value: null });
    expect(t.opened).toEqual(['https://example.com/a%20b']);
  });

  it('checkExternalUrl accepts only http and https', () => {
    expect(checkExternalUrl('http://example.com')).toBe('http://example.com/');
    for (const bad of ['ftp://example.com', 'smb://host/share', 'data:text/html,hi', 'mailto:a@b.c', 'JAVASCRIPT:alert(1)']) {
      expect(() => checkExternalUrl(bad)).toThrow(ChatError);
    }
  });
});

describe('IPC bridge: pushes', () => {
  const message = (i: number): CoreEvent => ({
    type: 'message',
    message: {
      kind: 'chat',
      roomId: 'r',
      id: String(i),
      text: `m${i}`,
      nick: 'n',
      peerId: 'p',
      src: '1.1.1.1:1',
      ttl: 1,
      seq: i,
      ts: i,
      receivedAt: i,
      own: false,
      fragments: 1,
      order: "0",
      bytes: 10,
    },
  });

  it('holds events until rendererReady, then delivers 5,000 of them in a handful of pushes, in order', async () => {
    const t = await setup();
    for (let i = 0; i < 5000; i++) t.fake.emit(message(i));
    t.clock!.advance(1000);
    expect(t.win.webContents.sent).toEqual([]);

    expect(await t.call('rendererReady')).toEqual({ ok: true, value: null });
    t.clock!.advance(100);
    const pushes = t.pushes();
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.length).toBeLessThanOrEqual(5);
    for (const batch of pushes) expect(batch.length).toBeLessThanOrEqual(BATCH_MAX_SIZE);
    const ids = pushes.flat().map((e) => (e.type === 'message' ? Number(e.message.id) : -1));
    expect(ids).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('coalesces a synchronous burst while ready into a handful of pushes', async () => {
    const t = await setup();
    await t.call('rendererReady');
    for (let i = 0; i < 5000; i++) t.fake.emit(message(i));
    t.clock!.advance(BATCH_WAIT_MS);
    const pushes = t.pushes();
    expect(pushes.length).toBeLessThanOrEqual(5);
    expect(pushes.flat()).toHaveLength(5000);
  });

  it('pauses while the page reloads and resumes on the next rendererReady', async () => {
    const t = await setup();
    await t.call('rendererReady');
    t.fake.emit(message(1));
    t.clock!.advance(BATCH_WAIT_MS);
    expect(t.pushes()).toHaveLength(1);

    t.win.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url: 'app://mcchat/index.html' });
    t.fake.emit(message(2));
    t.clock!.advance(1000);
    expect(t.pushes()).toHaveLength(1);

    // A same-document navigation (hash change) is not a reload.
    await t.call('rendererReady');
    t.win.webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true, url: 'app://mcchat/index.html#x' });
    t.fake.emit(message(3));
    t.clock!.advance(BATCH_WAIT_MS);
    expect(t.pushes().flat().map((e) => (e.type === 'message' ? e.message.id : ''))).toEqual(['1', '2', '3']);

    t.win.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    t.fake.emit(message(4));
    t.clock!.advance(1000);
    expect(t.pushes().flat()).toHaveLength(3);
  });

  it('drops the oldest held events, and says so, when the window stays away too long', async () => {
    const t = await setup();
    for (let i = 0; i < MAX_HELD_EVENTS + 10; i++) t.fake.emit(message(i));
    await t.call('rendererReady');
    const delivered = t.pushes().flat();
    expect(delivered.length).toBeLessThanOrEqual(MAX_HELD_EVENTS);
    expect(delivered.at(-1)).toMatchObject({ message: { id: String(MAX_HELD_EVENTS + 9) } });
    expect(t.notices()).toEqual([{ level: 'warning', message: expect.stringContaining('dropped') }]);
  });

  it('holds notices until the renderer is ready', async () => {
    const t = await setup();
    t.bridge.notice({ level: 'warning', message: 'settings damaged' });
    expect(t.notices()).toEqual([]);
    await t.call('rendererReady');
    expect(t.notices()).toEqual([{ level: 'warning', message: 'settings damaged' }]);
    t.bridge.notice({ level: 'info', message: 'later' });
    expect(t.notices()).toHaveLength(2);
  });
});

describe('IPC bridge: settings follow the commands', () => {
  it('setNickname saves the name and starts the first-run rejoin once', async () => {
    const t = await setup();
    expect(expectValue(await t.call('setNickname', '  Ada  '))).toBe('Ada');
    await t.settings.flush();
    expect(JSON.parse(await readFile(t.settings.file, 'utf8')).nickname).toBe('Ada');
    expect(t.onFirstNickname).toHaveBeenCalledTimes(1);
    await t.call('setNickname', 'Grace');
    expect(t.onFirstNickname).toHaveBeenCalledTimes(1);
    expect(expectValue(await t.call('getState')).firstRun).toBe(false);
  });

  it('joinRoom, setTtl and leaveRoom update the saved rooms', async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', { name: 'Lab', group: '239.255.9.9', port: 9999, ttl: 1, iface: '192.0.2.10' }));
    expectValue(await t.call('setTtl', { roomId: room.roomId, ttl: 32 }));
    await t.settings.flush();
    let saved = JSON.parse(await readFile(t.settings.file, 'utf8'));
    expect(saved.rooms).toContainEqual({ name: 'Lab', group: '239.255.9.9', port: 9999, ttl: 32, loopback: true, iface: '192.0.2.10' });
    expect(await t.call('leaveRoom', room.roomId)).toEqual({ ok: true, value: null });
    await t.settings.flush();
    saved = JSON.parse(await readFile(t.settings.file, 'utf8'));
    expect(saved.rooms.map((r: { port: number }) => r.port)).toEqual([4242]);
  });

  it('a passphrase room: the key is derived in main, the core gets the key, the settings keep only the keychain-sealed key', async () => {
    const t = await setup();
    const room = expectValue(await t.call('joinRoom', { name: 'Secret', group: '239.255.9.8', port: 9998, passphrase: 'correct horse battery staple' }));
    expect(room).toMatchObject({ encrypted: true, keyId: expect.stringMatching(/^[0-9a-f]{8}$/) });
    const options = t.fake.calls.find((c) => c.method === 'joinRoom')?.args[1] as { key?: { id: string } };
    expect(options.key?.id).toBe(room.keyId);
    await t.settings.flush();
    const file = await readFile(t.settings.file, 'utf8');
    expect(file).not.toContain('correct horse');
    expect(JSON.parse(file).rooms).toContainEqual(expect.objectContaining({ name: 'Secret', encrypted: true, key: 'c2VhbGVkIGJ5IHRoZSBrZXljaGFpbg==' }));
  });

  it('checkRoom warns about a weak passphrase; setPeerVerified reaches the core', async () => {
    const t = await setup();
    const check = expectValue(await t.call('checkRoom', { group: '239.255.9.8', port: 9998, passphrase: 'secret' }));
    expect(check.warnings.map((w) => w.code)).toContain('WEAK_PASSPHRASE');
    const strong = expectValue(await t.call('checkRoom', { group: '239.255.9.8', port: 9998, passphrase: 'violet tractor under 41 clouds' }));
    expect(strong.warnings.map((w) => w.code)).not.toContain('WEAK_PASSPHRASE');
    expect(await t.call('setPeerVerified', { peerId: 'a1b2c3d4e5f60718', verified: true })).toEqual({ ok: true, value: null });
    expect(t.fake.verified.get('a1b2c3d4e5f60718')).toBe(true);
    expect(expectError(await t.call('setPeerVerified', { peerId: 'alice', verified: true })).code).toBe('INVALID_ARGUMENT');
  });

  it('leaveRoom forgets a saved room that is not joined (it failed to rejoin at start)', async () => {
    const t = await setup();
    expect(await t.call('leaveRoom', '239.255.42.99:4242')).toEqual({ ok: true, value: null });
    expect(t.settings.get().rooms).toEqual([]);
    expect(expectError(await t.call('leaveRoom', '239.255.0.1:1')).code).toBe('ROOM_NOT_FOUND');
  });

  it('reports a failed save as a notice, while the command still succeeds', async () => {
    const real = await import('node:fs/promises');
    let failWrites = false;
    const fs: SettingsFs = {
      readFile: (f) => real.readFile(f),
      writeFile: async (f, d, o) => {
        if (failWrites) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        await real.writeFile(f, d, o);
      },
      rename: (a, b) => real.rename(a, b),
      mkdir: (d, o) => real.mkdir(d, o),
      rm: (f, o) => real.rm(f, o),
    };
    const t = await setup({ fs });
    await t.call('rendererReady');
    failWrites = true;
    expect(expectValue(await t.call('setNickname', 'Ada'))).toBe('Ada');
    await t.settings.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.notices()).toEqual([{ level: 'error', message: expect.stringContaining('could not be saved') }]);
  });

  it('with --iface pinned: another interface is refused, and the pinned one is not saved with the room', async () => {
    const t = await setup({ pinnedIface: '127.0.0.1' });
    expect(expectError(await t.call('joinRoom', { group: '239.255.3.3', port: 3333, iface: '192.0.2.10' })).code).toBe('INVALID_INTERFACE');
    expect(expectError(await t.call('checkRoom', { group: '239.255.3.3', port: 3333, iface: '192.0.2.10' })).code).toBe('INVALID_INTERFACE');
    expectValue(await t.call('joinRoom', { group: '239.255.3.3', port: 3333, iface: '127.0.0.1' }));
    expect(expectValue(await t.call('getState')).pinnedIface).toBe('127.0.0.1');
    const saved = t.settings.get().rooms.find((r) => r.port === 3333);
    expect(saved).toBeDefined();
    expect(saved?.iface).toBeUndefined();
  });
});

describe('IPC bridge with the real core on loopback', () => {
  it('joins, sends and pushes the message to the window (interface pinned to 127.0.0.1)', async () => {
    // Network safety: the core is pinned to loopback; TTL 0 keeps every datagram on this host.
    const core = createChatCore({ nickname: 'bridge-test', appVersion: 'multicast-chat/test', defaultIface: '127.0.0.1' });
    cleanups.push(() => core.close());
    const t = await setup({ core, clock: null });
    await t.call('rendererReady');
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const room = expectValue(await t.call('joinRoom', { name: 'Loop', group: '239.255.77.77', port, ttl: 0, loopback: true }));
    expect(room.interfaces.map((i) => i.address)).toEqual(['127.0.0.1']);
    const sent = expectValue(await t.call('sendMessage', { roomId: room.roomId, text: 'hello over loopback' }));
    expect(sent).toMatchObject({ text: 'hello over loopback', own: true, ttl: 0 });

    const deadline = Date.now() + 5000;
    const delivered = (): boolean => t.pushes().flat().some((e) => e.type === 'message' && e.message.text === 'hello over loopback');
    while (!delivered() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(delivered()).toBe(true);
    expect(t.pushes().flat().some((e) => e.type === 'room' && (e.room as RoomSnapshot).roomId === room.roomId)).toBe(true);
  });

  it('probes: another member on 127.0.0.1 answers at TTL 1, nobody new at TTL 2', async () => {
    // Network safety: both cores pinned to loopback; the probes go out at TTL 1 and 2 on lo only.
    const core = createChatCore({ nickname: 'prober', appVersion: 'multicast-chat/test', defaultIface: '127.0.0.1' });
    const member = createChatCore({ nickname: 'bob', appVersion: 'multicast-chat/test', defaultIface: '127.0.0.1' });
    cleanups.push(() => core.close(), () => member.close());
    const t = await setup({ core, clock: null });
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const config = { name: 'Loop', group: '239.255.77.79', port, ttl: 1, loopback: true };
    await member.joinRoom(config);
    const room = expectValue(await t.call('joinRoom', config));
    const started = Date.now();
    const probing = t.call('probeReach', { roomId: room.roomId, ttlMax: 2 });
    // The probe is out for about 1.4 s; meanwhile the bridge answers.
    expect(expectValue(await t.call('getState')).rooms).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(400);
    const rows = expectValue(await probing);
    expect(rows.map((r) => r.ttl)).toEqual([1, 2]);
    expect(rows[0]?.peers).toEqual([{ peerId: member.peerId, nick: 'bob', src: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown as string }]);
    expect(rows[1]?.peers).toEqual([]);
  });

  it("gives our own message's datagram as it went out: the inspector's wire story reads the text and the signature", async () => {
    // Network safety: pinned to loopback, TTL 0.
    const core = createChatCore({ nickname: 'wire-test', appVersion: 'multicast-chat/test', defaultIface: '127.0.0.1' });
    cleanups.push(() => core.close());
    const t = await setup({ core, clock: null });
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const room = expectValue(await t.call('joinRoom', { name: 'Loop', group: '239.255.77.78', port, ttl: 0, loopback: true }));
    const sent = expectValue(await t.call('sendMessage', { roomId: room.roomId, text: 'on the wire' }));
    const wire = expectValue(await t.call('getMessageWire', { roomId: room.roomId, peerId: core.peerId, id: sent.id }));
    expect(wire).toHaveLength(1);
    const bytes = new Uint8Array(Buffer.from(wire?.[0] ?? '', 'base64'));
    expect(bytes.length).toBe(sent.bytes);
    const story = wireStory(bytes);
    expect(story).toMatchObject({ verdict: 'frame', type: 'chat' });
    expect(story.parts.map((p) => p.kind)).toEqual(['marker', 'header', 'line-feed', 'body', 'line-feed', 'signature']);
    expect(story.fields.find((f) => f.name === 'nick')?.value).toBe('"wire-test"');
    expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toMatch(/\non the wire\n[A-Za-z0-9_-]{86}$/);
  });
});
