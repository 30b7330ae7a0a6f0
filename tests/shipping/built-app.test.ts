import { execFile, fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { build as esbuild } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, commandChannel, eventChannel } from '../../shared/ipc/channels.js';
import type { AppState } from '../../shared/ipc/contract.js';
import type { Preferences } from '../../shared/preferences.js';
import { waitForAsync } from '../helpers/wait.js';
import type { ShippingSnapshot } from './fake-electron.js';
import type { DriverMessage, DriverRequest } from './main-driver.js';

/**
 * What ships, not the sources: `vite build` makes dist-electron/main.js, preload.cjs and the page,
 * laid out as electron-builder packs them (package.json, dist/, dist-electron/ and the production
 * dependencies only). Then, with no Electron binary here:
 * - the built main runs in a plain Node child with `electron` resolved to tests/shipping/fake-electron.ts
 *   (main-driver.ts): ready → the window and its web preferences → the page over app:// → IPC → quit;
 * - the built preload runs in a `vm` sandbox given only what Electron's sandboxed preload gets.
 * So a bundling mistake (an external missing from the package, ESM/CJS, a Node built-in in the
 * sandboxed preload, a wrong path between the three parts) fails here instead of on a user's desktop.
 *
 * The build runs in a temporary copy of the project (node_modules linked, as tests/packaging does):
 * the working tree's dist/ and dist-electron/ are never rewritten.
 */

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

/** Left out of the copy: generated, installed or version-control folders (as tests/packaging). */
const NOT_COPIED = new Set(['node_modules', 'dist', 'dist-electron', 'dist-cli', 'release', 'out', 'coverage', 'test-results', 'screenshots', 'bench-results', '.vite', '.git']);
/** electron-builder.yml's `files`: all of the app that goes into app.asar, besides production dependencies. */
const PACKAGED = ['package.json', 'dist', 'dist-electron'];
const APP_PAGE = 'app://mcchat/index.html';

let work: string;
let appDir: string;
let configHome: string;
let harness: { driver: string; fake: string };

/** The production dependencies and theirs, as electron-builder copies them next to the app. */
async function productionDependencies(root: string): Promise<string[]> {
  const readDeps = async (dir: string): Promise<string[]> => {
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    return Object.keys(pkg.dependencies ?? {});
  };
  const found = new Set<string>();
  const queue = await readDeps(root);
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (found.has(name)) continue;
    found.add(name);
    queue.push(...(await readDeps(path.join(root, 'node_modules', name))));
  }
  return [...found];
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'mcchat-shipping-'));
  const project = path.join(work, 'project');
  await mkdir(project);
  for (const entry of await readdir(repo)) {
    if (!NOT_COPIED.has(entry)) await cp(path.join(repo, entry), path.join(project, entry), { recursive: true });
  }
  await symlink(path.join(repo, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  // What `npm run build` runs after its typecheck; NODE_ENV as npm would leave it, not vitest's "test".
  await run(process.execPath, [path.join(repo, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: project,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NODE_ENV: 'production' },
  });

  // The packaged app's layout. Only production dependencies are reachable from it (the temporary
  // folder has no node_modules above it), so a bundle importing a devDependency fails to load.
  appDir = path.join(work, 'app');
  await mkdir(path.join(appDir, 'node_modules'), { recursive: true });
  for (const entry of PACKAGED) await cp(path.join(project, entry), path.join(appDir, entry), { recursive: true });
  for (const name of await productionDependencies(project)) {
    const target = path.join(appDir, 'node_modules', name);
    await mkdir(path.dirname(target), { recursive: true });
    await symlink(path.join(repo, 'node_modules', name), target, 'dir');
  }

  // The driver and the fake as plain .mjs: the child runs Node itself, no TypeScript loader.
  const harnessDir = path.join(work, 'harness');
  await esbuild({
    entryPoints: { 'main-driver': path.join(here, 'main-driver.ts'), 'fake-electron': path.join(here, 'fake-electron.ts') },
    outdir: harnessDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // The driver reaches the fake only through `import 'electron'`, so both see one instance.
    external: ['electron'],
    logLevel: 'error',
  });
  harness = { driver: path.join(harnessDir, 'main-driver.mjs'), fake: path.join(harnessDir, 'fake-electron.mjs') };
  configHome = path.join(work, 'config');
  await mkdir(configHome);
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

// ——— the built main process ———

/** The built main in a child process, driven over the fork's IPC channel. */
class MainChild {
  readonly stderr: string[] = [];
  readonly stdout: string[] = [];
  exitReport: Extract<DriverMessage, { type: 'exit' }> | null = null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly child: ChildProcess;

  constructor(args: readonly string[]) {
    const home = path.join(work, 'home');
    this.child = fork(harness.driver, [...args], {
      cwd: appDir,
      // Not vitest's flags; and not this machine's MCCHAT_IFACE / MCCHAT_PROFILE or display.
      execArgv: [],
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: configHome, MCCHAT_SHIPPING_MAIN: path.join(appDir, 'dist-electron', 'main.js'), MCCHAT_SHIPPING_FAKE: harness.fake },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.stdout.push(chunk.toString('utf8')));
    this.child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString('utf8')));
    this.child.on('message', (message: DriverMessage) => {
      if (message.type === 'exit') {
        this.exitReport = message;
        return;
      }
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(message.error));
    });
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': stderr is complete by then, so a failure can quote all of it.
      this.child.once('close', (code, signal) => {
        for (const waiting of this.pending.values()) waiting.reject(new Error(`the main process exited (${code ?? signal}): ${this.stderr.join('')}`));
        this.pending.clear();
        resolve({ code, signal });
      });
    });
  }

  ask<T>(request: DistributiveOmit<DriverRequest, 'id'>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      // A main that died at startup fails every later test at once, with its own words, not by timeout.
      if (!this.child.connected) {
        reject(new Error(`the main process is gone (${this.child.exitCode ?? this.child.signalCode}): ${this.stderr.join('')}`));
        return;
      }
      this.pending.set(id, { resolve: (value) => resolve(value as T), reject });
      this.child.send({ ...request, id } as DriverRequest, (error) => {
        if (!error) return;
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  snapshot(): Promise<ShippingSnapshot & { network: string[] }> {
    return this.ask({ type: 'snapshot' });
  }

  /** Only for afterAll after a failed test: this test's own child, by its handle. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

// ——— the built preload, in a sandbox ———

interface FakeIpcRenderer {
  invoke: (channel: string, arg?: unknown) => Promise<unknown>;
  on: (channel: string, listener: (...args: unknown[]) => void) => void;
  removeListener: (channel: string, listener: (...args: unknown[]) => void) => void;
}

interface SandboxedPreload {
  readonly exposed: { key: string; api: Record<string, unknown> }[];
  readonly required: string[];
}

/**
 * Runs the preload as Electron runs a sandboxed one: its source wrapped in a function of exactly
 * (require, process, Buffer, global, setImmediate, clearImmediate, exports, module), in a context
 * with nothing but JavaScript's own globals. `require` knows only 'electron' (the app's rule:
 * nothing else, not even the few modules Electron would allow); no __dirname, no Node built-ins.
 */
function runSandboxedPreload(source: string, ipcRenderer: FakeIpcRenderer): SandboxedPreload {
  const exposed: SandboxedPreload['exposed'] = [];
  const required: string[] = [];
  const contextBridge = {
    exposeInMainWorld: (key: string, api: Record<string, unknown>): void => {
      exposed.push({ key, api });
    },
  };
  const sandboxRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error(`module not found: ${name}`);
  };
  const context = vm.createContext({});
  const global = vm.runInContext('globalThis', context) as object;
  const preloadModule = { exports: {} };
  const sandboxProcess = Object.freeze({ type: 'renderer', sandboxed: true, contextIsolated: true, platform: process.platform, arch: process.arch, env: {}, versions: {} });
  const wrapper = vm.runInContext(`(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {${source}\n})`, context, {
    filename: 'preload.cjs',
  }) as (...args: unknown[]) => void;
  wrapper(sandboxRequire, sandboxProcess, Buffer, global, setImmediate, clearImmediate, preloadModule.exports, preloadModule);
  return { exposed, required };
}

/** ipcRenderer that records what it is asked and answers through `invoke`. */
function recordingIpc(invoke: (channel: string, arg?: unknown) => Promise<unknown> = async () => null) {
  const calls = { invoke: [] as [string, unknown][], on: [] as [string, unknown][], removeListener: [] as [string, unknown][] };
  const ipc: FakeIpcRenderer = {
    invoke: (channel, arg) => {
      calls.invoke.push([channel, arg]);
      return invoke(channel, arg);
    },
    on: (channel, listener) => void calls.on.push([channel, listener]),
    removeListener: (channel, listener) => void calls.removeListener.push([channel, listener]),
  };
  return { ipc, calls };
}

describe('the built app (vite build), run against a fake electron', () => {
  let main: MainChild;
  /** The name vite.config.ts gives the preload; the first test checks main points at this very file. */
  const preloadPath = (): string => path.join(appDir, 'dist-electron', 'preload.cjs');

  beforeAll(() => {
    // --iface pins loopback: a fresh profile joins nothing before a nickname, and never a real interface here.
    main = new MainChild(['--iface', '127.0.0.1']);
  });

  afterAll(() => {
    main?.kill();
  });

  it('before ready: profile folder, lock, sandbox and the app:// scheme; after: one window, hardened, on the app page', async () => {
    const snap = await waitForAsync(async () => {
      const s = await main.snapshot();
      return s.windows.length > 0 && s.pages.length > 0 && s;
    }, 'the built main to open its window and load its page', 15_000);

    const log = snap.log;
    const ready = log.indexOf('ready');
    expect(ready).toBeGreaterThan(0);
    for (const early of ['setPath userData', 'requestSingleInstanceLock', 'enableSandbox', 'registerSchemesAsPrivileged app']) {
      const at = log.indexOf(early);
      expect(at, `${early} in ${log.join(' | ')}`).toBeGreaterThanOrEqual(0);
      expect(at, `${early} before ready`).toBeLessThan(ready);
    }
    expect(snap.userData.startsWith(configHome + path.sep)).toBe(true);
    expect(snap.errorBoxes).toEqual([]);
    expect(snap.network).toEqual([]);

    expect(snap.windows).toHaveLength(1);
    const win = snap.windows[0]!;
    const web = win.options.webPreferences ?? {};
    expect(web).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false });
    // The path main computes from its own location must name the preload the build wrote.
    expect(existsSync(preloadPath())).toBe(true);
    expect(path.relative(appDir, web.preload ?? '')).toBe(path.relative(appDir, preloadPath()));
    // Hidden until painted, then shown; every web contents got the new-window guard.
    expect(win.options.show).toBe(false);
    expect(win.visible).toBe(true);
    expect(win.guarded).toBe(true);

    // The page main serves from dist/renderer, found relative to the built main.
    expect(snap.schemes).toEqual(['app']);
    expect(win.url).toBe(APP_PAGE);
    expect(snap.pages).toEqual([{ url: APP_PAGE, status: 200, contentType: 'text/html; charset=utf-8' }]);
    expect([...snap.handlers].sort()).toEqual(COMMAND_NAMES.map((name) => commandChannel(name)).sort());
  });

  it('serves the page’s scripts and styles over app:// too', async () => {
    const page = await main.ask<{ status: number; text: string }>({ type: 'fetch', url: APP_PAGE });
    const assets = [...page.text.matchAll(/(?:src|href)="(\.\/assets\/[^"]+)"/g)].map((m) => new URL(m[1]!, APP_PAGE).href);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of assets) {
      const response = await main.ask<{ status: number; contentType: string | null }>({ type: 'fetch', url: asset });
      expect(response.status, asset).toBe(200);
      expect(response.contentType, asset).toMatch(asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
    }
  });

  it('the built preload runs sandboxed: requires only electron, exposes one frozen API whose functions invoke the contract’s channels', async () => {
    const source = await readFile(preloadPath(), 'utf8');
    const { ipc, calls } = recordingIpc(async () => ({ ok: true, value: 'answer' }));
    const { exposed, required } = runSandboxedPreload(source, ipc);

    expect(required).toEqual(['electron']);
    expect(exposed).toHaveLength(1);
    const { key, api } = exposed[0]!;
    expect(key).toBe('mcchat');
    expect(Object.keys(api).sort()).toEqual([...COMMAND_NAMES, 'on'].sort());
    expect(Object.values(api).every((value) => typeof value === 'function')).toBe(true);
    expect(Object.isFrozen(api)).toBe(true);

    const getPreferences = api.getPreferences as () => Promise<unknown>;
    await expect(getPreferences()).resolves.toEqual({ ok: true, value: 'answer' });
    expect(calls.invoke).toEqual([[commandChannel('getPreferences'), undefined]]);

    // Pushes: the page gets the payload only, never the IPC event (it carries `sender`); off is the same listener.
    const on = api.on as (event: string, callback: (payload: unknown) => void) => () => void;
    const got: unknown[] = [];
    const off = on('core', (payload) => got.push(payload));
    expect(calls.on).toHaveLength(1);
    const [channel, listener] = calls.on[0]!;
    expect(channel).toBe(eventChannel('core'));
    (listener as (event: unknown, payload: unknown) => void)({ sender: 'ipc internals' }, [{ type: 'x' }]);
    expect(got).toEqual([[{ type: 'x' }]]);
    off();
    expect(calls.removeListener).toEqual([[eventChannel('core'), listener]]);
    expect(() => on('nope', () => undefined)).toThrow(/Unknown event/);
  });

  it('a round trip: the built preload’s API → IPC from the window’s app:// frame → the built main’s handler → back', async () => {
    const source = await readFile(preloadPath(), 'utf8');
    const { ipc } = recordingIpc((channel, arg) => main.ask({ type: 'invoke', channel, arg }));
    const api = runSandboxedPreload(source, ipc).exposed[0]!.api;

    const state = (await (api.getState as () => Promise<unknown>)()) as { ok: boolean; value: AppState };
    expect(state.ok).toBe(true);
    expect(state.value).toMatchObject({ pinnedIface: '127.0.0.1', firstRun: true, rooms: [] });
    expect(state.value.peerId).toMatch(/^[0-9a-f]+$/);

    const preferences = (await (api.getPreferences as () => Promise<unknown>)()) as { ok: boolean; value: Preferences };
    expect(preferences).toMatchObject({ ok: true, value: { theme: 'system' } });

    // The same command from any other frame or origin is refused before its payload is looked at.
    const forbidden = await main.ask({ type: 'invoke', channel: commandChannel('getState'), frameUrl: 'https://example.invalid/' });
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await main.snapshot()).network).toEqual([]);
  });

  it('quits cleanly: the quit is held for shutdown, handlers removed, tray gone, settings saved, exit code 0', async () => {
    await main.ask({ type: 'quit' });
    const { code, signal } = await main.exited;
    expect(main.stderr.join('')).toBe('');
    expect({ code, signal }).toEqual({ code: 0, signal: null });

    const report = main.exitReport;
    expect(report).not.toBeNull();
    const snap = report!.snapshot;
    expect(report!.code).toBe(0);
    expect(snap.log).toContain('quit held by before-quit');
    expect(snap.log.slice(-2)).toEqual(['quit', 'exit 0']);
    expect(snap.handlers).toEqual([]);
    expect(snap.windows.every((w) => w.destroyed)).toBe(true);
    expect(snap.trays.every((t) => t.destroyed)).toBe(true);
    expect(snap.errorBoxes).toEqual([]);
    expect(report!.network).toEqual([]);
    // Everything the app wrote went to the temporary profile.
    expect(await readdir(snap.userData)).toContain('settings.json');
  });
});
