import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, commandChannel } from '../../shared/ipc/contract.js';
import type { Result } from '../../shared/ipc/result.js';
import type { ChatCoreOptions } from '../core/types.js';
import { FakeCore } from './testing/fake-core.js';

// main.ts assembled against a mocked `electron` and a network-free core: what it calls, in which order.

const fake = vi.hoisted(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EventEmitter } = require('node:events') as typeof import('node:events');
  const state = {
    log: [] as string[],
    userData: '',
    lock: true,
    handlers: new Map<string, (event: unknown, arg: unknown) => unknown>(),
    windows: [] as InstanceType<typeof FakeBrowserWindow>[],
    cores: [] as { options: unknown; core: unknown }[],
    badge: [] as number[],
    notifications: [] as InstanceType<typeof FakeNotification>[],
    trays: [] as InstanceType<typeof FakeTray>[],
  };
  class FakeNotification extends EventEmitter {
    static isSupported() {
      return true;
    }
    shown = false;
    closed = false;
    constructor(readonly options: { title: string; body: string }) {
      super();
      state.notifications.push(this);
    }
    show() {
      this.shown = true;
    }
    close() {
      this.closed = true;
    }
  }
  class FakeTray extends EventEmitter {
    tooltip = '';
    menu: { label?: string; click?: (item: { checked: boolean }) => void; type?: string; checked?: boolean }[] = [];
    constructor() {
      super();
      state.trays.push(this);
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setContextMenu(menu: { items: FakeTray['menu'] }) {
      this.menu = menu.items;
    }
    setTitle() {}
    destroy() {}
  }
  class FakeWebContents extends EventEmitter {
    mainFrame = { url: 'app://mcchat/index.html' };
    sent: unknown[] = [];
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
    isDestroyed() {
      return false;
    }
    setWindowOpenHandler() {}
  }
  class FakeBrowserWindow extends EventEmitter {
    webContents = new FakeWebContents();
    constructor(readonly options: Record<string, unknown>) {
      super();
      state.log.push('new BrowserWindow');
      state.windows.push(this);
    }
    isDestroyed() {
      return false;
    }
    visible = true;
    focused = false;
    isMinimized() {
      return false;
    }
    isFocused() {
      return this.focused;
    }
    hide() {
      this.visible = false;
      state.log.push('hide');
    }
    setOverlayIcon() {}
    getNormalBounds() {
      return { x: 1, y: 2, width: 900, height: 600 };
    }
    async loadURL(url: string) {
      state.log.push(`loadURL ${url}`);
    }
    show() {
      this.visible = true;
      state.log.push('show');
    }
    focus() {
      state.log.push('focus');
    }
    restore() {}
    setTitle() {}
  }
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    getPath: (name: string) => (name === 'userData' ? state.userData : '/tmp'),
    setPath: (name: string, value: string) => {
      state.log.push(`setPath ${name} ${value}`);
      if (name === 'userData') state.userData = value;
    },
    requestSingleInstanceLock: () => {
      state.log.push('requestSingleInstanceLock');
      return state.lock;
    },
    quit: () => state.log.push('quit'),
    exit: (code: number) => state.log.push(`exit ${code}`),
    whenReady: () => Promise.resolve(),
    enableSandbox: () => state.log.push('enableSandbox'),
    setAppUserModelId: () => undefined,
    setBadgeCount: (count: number) => state.badge.push(count),
  });
  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    dialog: { showErrorBox: (title: string, text: string) => state.log.push(`showErrorBox ${title}: ${text}`) },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, arg: unknown) => unknown) => state.handlers.set(channel, handler),
      removeHandler: (channel: string) => state.handlers.delete(channel),
    },
    powerMonitor: new EventEmitter(),
    protocol: {
      registerSchemesAsPrivileged: () => state.log.push('registerSchemesAsPrivileged'),
      handle: (scheme: string) => state.log.push(`protocol.handle ${scheme}`),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => state.log.push('setPermissionRequestHandler'),
        setPermissionCheckHandler: () => state.log.push('setPermissionCheckHandler'),
        webRequest: { onHeadersReceived: () => state.log.push('onHeadersReceived') },
      },
    },
    shell: { openExternal: async () => undefined },
    // No keychain here: the identity is kept in a 0600 file.
    safeStorage: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
    nativeTheme: { shouldUseDarkColors: false, themeSource: 'system' },
    Notification: FakeNotification,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (items: unknown[]) => ({ items }) },
    nativeImage: { createFromBuffer: (buffer: Buffer) => ({ buffer }) },
  };
  return { state, module };
});

vi.mock('electron', () => fake.module);
vi.mock('../core/chat-core.js', () => ({
  createChatCore: (options: ChatCoreOptions) => {
    const core = new FakeCore(options.nickname);
    fake.state.cores.push({ options, core });
    return core;
  },
}));

const argv = process.argv;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mcchat-main-'));
  Object.assign(fake.state, { log: [], userData: path.join(dir, 'Multicast Chat'), lock: true, windows: [], cores: [], badge: [], notifications: [], trays: [] });
  fake.state.handlers.clear();
  fake.module.app.removeAllListeners();
  fake.module.powerMonitor.removeAllListeners();
  vi.resetModules();
});

afterEach(async () => {
  process.argv = argv;
  await rm(dir, { recursive: true, force: true });
});

async function runMain(args: string[]): Promise<void> {
  process.argv = ['/usr/bin/electron', '.', ...args];
  await import('../main.js');
  // whenReady().then(start): let start() run to its end.
  await vi.waitFor(() => {
    if (fake.state.log.some((l) => l.startsWith('exit') || l === 'quit')) return;
    expect(fake.state.log.some((l) => l.startsWith('loadURL'))).toBe(true);
  });
}

function invoke(name: string, arg?: unknown): Promise<Result<unknown>> {
  const win = fake.state.windows[0]!;
  const handler = fake.state.handlers.get(commandChannel(name as never))!;
  return handler({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, arg) as Promise<Result<unknown>>;
}

describe('main.ts', () => {
  it('a bad --iface stops with a readable error, before any window or lock', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await runMain(['--iface', 'eth0']);
    const written = stderr.mock.calls.map((c) => String(c[0]));
    stderr.mockRestore();
    expect(fake.state.log).toEqual([expect.stringMatching(/^showErrorBox Multicast Chat cannot start: --iface "eth0": The interface must be an IPv4/), 'exit 2']);
    expect(written).toEqual([expect.stringMatching(/^Multicast Chat: --iface "eth0": .*\n$/)]);
  });

  it('a profile gets its own user data folder before the single-instance lock is taken', async () => {
    await runMain(['--profile', 'bob', '--iface', '127.0.0.1']);
    const log = fake.state.log;
    expect(log).toContain(`setPath userData ${path.join(dir, 'Multicast Chat')}-bob`);
    expect(log.indexOf(`setPath userData ${path.join(dir, 'Multicast Chat')}-bob`)).toBeLessThan(log.indexOf('requestSingleInstanceLock'));
    await vi.waitFor(async () => expect(JSON.parse(await readFile(path.join(dir, 'Multicast Chat-bob', 'settings.json'), 'utf8')).nickname).toBeNull());
  });

  it('a second instance of the same profile quits at once', async () => {
    fake.state.lock = false;
    await runMain(['--iface', '127.0.0.1']);
    expect(fake.state.log).toContain('quit');
    expect(fake.state.windows).toHaveLength(0);
  });

  it('assembles: sandbox, app://, security, core pinned to --iface, handlers, window; rooms wait for a nickname', async () => {
    await runMain(['--iface', '127.0.0.1']);
    const log = fake.state.log;
    for (const step of ['enableSandbox', 'registerSchemesAsPrivileged', 'setPermissionRequestHandler', 'setPermissionCheckHandler', 'onHeadersReceived', 'protocol.handle app', 'new BrowserWindow', 'loadURL app://mcchat/index.html']) {
      expect(log, step).toContain(step);
    }
    expect(fake.state.cores).toHaveLength(1);
    const { options, core } = fake.state.cores[0]! as { options: ChatCoreOptions; core: FakeCore };
    expect(options.defaultIface).toBe('127.0.0.1');
    expect(options.identity?.peerId).toMatch(/^[0-9a-f]{16}$/);
    expect(options.trust).toBeDefined();
    // Leaving a room or quitting stays to answer repairs of what we sent (issue: 245 of 300).
    expect(options.linger).toEqual({ quietMs: 2_000, maxMs: 3_000 });
    expect([...fake.state.handlers.keys()].sort()).toEqual(COMMAND_NAMES.map(commandChannel).sort());
    const prefs = fake.state.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs.preload).toMatch(/preload\.cjs$/);
    expect(prefs.sandbox).toBe(true);

    // First run: nothing joined until the user picks a nickname; then the saved Lobby is joined on the pinned interface.
    expect(core.rooms()).toEqual([]);
    expect(await invoke('getState')).toMatchObject({ ok: true, value: { firstRun: true, pinnedIface: '127.0.0.1' } });
    expect(await invoke('setNickname', 'Ada')).toEqual({ ok: true, value: 'Ada' });
    await vi.waitFor(() => expect(core.rooms().map((r) => r.roomId)).toEqual(['239.255.42.99:4242']));
    expect(core.calls.find((c) => c.method === 'joinRoom')?.args[0]).toMatchObject({ iface: '127.0.0.1' });

    // Quit: held until the rooms are left.
    const event = { preventDefault: vi.fn() };
    fake.module.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(core.closed).toBe(true));
    await vi.waitFor(() => expect(fake.state.log).toContain('quit'));
  });

  it("wires getGroupView to this machine's memberships", async () => {
    await runMain(['--iface', '127.0.0.1']);
    await invoke('setNickname', 'Ada');
    const core = fake.state.cores[0]!.core as FakeCore;
    await vi.waitFor(() => expect(core.rooms()).toHaveLength(1));
    const answer = await invoke('getGroupView', '239.255.42.99:4242');
    expect(answer).toMatchObject({ ok: true, value: { group: '239.255.42.99', mac: '01:00:5e:7f:2a:63', sharedWith: 31, linkLocal: false } });
    // Whatever this machine holds, the answer says where it came from, or why there is none.
    const view = (answer as { value: { os: { available: boolean; source?: string; reason?: string } } }).value.os;
    if (process.platform === 'linux') expect(view).toMatchObject({ available: true, source: '/proc/net/igmp' });
    else expect(view.source ?? view.reason).toBeTruthy();
    fake.module.app.emit('before-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(fake.state.log).toContain('quit'));
  });

  it('the next start rejoins saved rooms at once', async () => {
    await runMain(['--iface', '127.0.0.1']);
    await invoke('setNickname', 'Ada');
    const first = fake.state.cores[0]!.core as FakeCore;
    const firstPeerId = (fake.state.cores[0]!.options as ChatCoreOptions).identity?.peerId;
    expect(firstPeerId).toMatch(/^[0-9a-f]{16}$/);
    await vi.waitFor(() => expect(first.rooms()).toHaveLength(1));
    fake.module.app.emit('before-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(fake.state.log).toContain('quit'));

    Object.assign(fake.state, { log: [], windows: [], cores: [] });
    fake.state.handlers.clear();
    fake.module.app.removeAllListeners();
    vi.resetModules();
    await runMain(['--iface', '127.0.0.1']);
    const second = fake.state.cores[0]! as { options: ChatCoreOptions; core: FakeCore };
    expect(second.options.nickname).toBe('Ada');
    // The same identity from the identity store: peers recognise us after a restart.
    expect(second.options.identity?.peerId).toBe(firstPeerId);
    await vi.waitFor(() => expect(second.core.rooms().map((r) => r.roomId)).toEqual(['239.255.42.99:4242']));
  });

  describe('unread, notifications, tray and single instance', () => {
    async function started(): Promise<{ core: FakeCore; win: (typeof fake.state.windows)[number] }> {
      await runMain(['--iface', '127.0.0.1']);
      await invoke('setNickname', 'Ada');
      const core = fake.state.cores[0]!.core as FakeCore;
      await vi.waitFor(() => expect(core.rooms()).toHaveLength(1));
      return { core, win: fake.state.windows[0]! };
    }
    const incoming = (core: FakeCore, text: string, id: string): void =>
      core.emit({
        type: 'message',
        message: { kind: 'chat', roomId: '239.255.42.99:4242', id, text, nick: 'bob', peerId: 'b0b0b0b0b0b0b0b0', src: '127.0.0.1:4242', ttl: 1, seq: 1, ts: 0, receivedAt: 0, own: false, fragments: 1, bytes: 5, order: id },
      });
    const quit = async (): Promise<void> => {
      fake.module.app.emit('before-quit', { preventDefault: () => undefined });
      await vi.waitFor(() => expect(fake.state.log).toContain('quit'));
    };

    it('a mention while the window is unfocused notifies; its click shows the window and opens the room; the badge and tray count', async () => {
      const { core, win } = await started();
      const tray = fake.state.trays[0]!;
      expect(tray.tooltip).toBe('Multicast Chat');
      incoming(core, 'hi @ada', '00000000000000a1');
      expect(fake.state.notifications.map((n) => n.options)).toEqual([{ title: 'bob mentioned you in Lobby', body: 'bob: hi @ada', silent: false }]);
      const badge = process.platform === 'win32' ? [] : [1];
      expect(fake.state.badge).toEqual(badge);
      expect(tray.tooltip).toBe('Multicast Chat: 1 unread message');
      expect(tray.menu.map((item) => item.label ?? item.type)).toEqual(['Open Multicast Chat', '1 unread message', 'separator', 'Keep running when the window closes', 'separator', 'Quit']);

      expect(await invoke('rendererReady')).toEqual({ ok: true, value: null });
      fake.state.notifications[0]!.emit('click');
      expect(fake.state.log).toContain('focus');
      expect(win.webContents.sent).toContainEqual(['mcchat:evt:openRoom', '239.255.42.99:4242']);
      // The page opens it and says so; with the window focused, the room is read.
      expect(await invoke('setViewState', { roomId: '239.255.42.99:4242' })).toEqual({ ok: true, value: null });
      win.emit('focus');
      expect(tray.tooltip).toBe('Multicast Chat');
      expect(fake.state.badge.at(-1)).toBe(process.platform === 'win32' ? undefined : 0);
      expect(fake.state.notifications[0]!.closed).toBe(true);
      // Read in view: no notification, no unread.
      incoming(core, 'again @ada', '00000000000000a2');
      expect(fake.state.notifications).toHaveLength(1);
      await quit();
    });

    it('a second start of the profile brings the window back', async () => {
      await started();
      fake.state.log.length = 0;
      fake.module.app.emit('second-instance', {}, ['electron', '.']);
      expect(fake.state.log).toEqual(['show', 'focus']);
      await quit();
    });

    it('with "keep running" (tray menu or settings) closing hides the window; quitting closes it', async () => {
      const { win } = await started();
      const close = (): { preventDefault: ReturnType<typeof vi.fn> } => {
        const event = { preventDefault: vi.fn() };
        win.emit('close', event);
        return event;
      };
      expect(close().preventDefault).not.toHaveBeenCalled();
      const keep = fake.state.trays[0]!.menu.find((item) => item.label === 'Keep running when the window closes')!;
      keep.click!({ checked: true });
      expect(fake.state.cores).toHaveLength(1);
      await vi.waitFor(() => expect(close().preventDefault).toHaveBeenCalled());
      expect(win.visible).toBe(false);
      expect(await invoke('getPreferences')).toMatchObject({ ok: true, value: { closeToTray: true } });
      fake.module.app.emit('before-quit', { preventDefault: () => undefined });
      expect(close().preventDefault).not.toHaveBeenCalled();
      await vi.waitFor(() => expect(fake.state.log).toContain('quit'));
    });

    it('setPreferences saves, applies the theme and refuses a bad payload with a sentence', async () => {
      await started();
      expect(await invoke('setPreferences', { theme: 'dark', notifications: { rooms: { '239.255.42.99:4242': 'all' } } })).toMatchObject({
        ok: true,
        value: { theme: 'dark', notifications: { enabled: true, defaultLevel: 'all', rooms: { '239.255.42.99:4242': 'all' } } },
      });
      expect(fake.module.nativeTheme.themeSource).toBe('dark');
      expect(await invoke('setPreferences', { theme: 'pink' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
      await quit();
      const saved = JSON.parse(await readFile(path.join(dir, 'Multicast Chat', 'settings.json'), 'utf8'));
      expect(saved.preferences.theme).toBe('dark');
    });
  });
});
