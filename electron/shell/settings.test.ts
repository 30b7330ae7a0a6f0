import * as realFs from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PREFERENCES, applyPreferencesPatch, preferencesPatchSchema } from '../../shared/preferences.js';
import { createSettingsStore, defaultSettings, fallbackNickname, saveWindowState, type Settings, type SettingsFs } from './settings.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mcchat-settings-'));
  dirs.push(dir);
  return dir;
}

const NOW = new Date('2025-03-04T05:06:07.089Z');
const store = (dir: string, fs?: SettingsFs) =>
  createSettingsStore({ dir, now: () => NOW, makePeerId: () => '00112233aabbccdd', ...(fs ? { fs } : {}) });

const valid: Settings = {
  version: 1,
  peerId: 'fedcba9876543210',
  nickname: 'Ada',
  rooms: [
    { name: 'Lobby', group: '239.255.42.99', port: 4242, ttl: 1, loopback: true },
    { name: 'Lab', group: '239.255.10.1', port: 5000, ttl: 32, iface: '192.168.1.20', loopback: false },
  ],
  window: { width: 900, height: 600, x: 10, y: 20 },
  preferences: DEFAULT_PREFERENCES,
};

describe('settings', () => {
  it('first run: no file gives defaults (no nickname, the Lobby room) and writes them, with a stable peer id', async () => {
    const dir = await tempDir();
    const first = await store(dir).load();
    expect(first.created).toBe(true);
    expect(first.notice).toBeNull();
    expect(first.settings.nickname).toBeNull();
    expect(first.settings.rooms).toEqual([{ name: 'Lobby', group: '239.255.42.99', port: 4242, ttl: 1, loopback: true }]);
    expect(first.settings.peerId).toMatch(/^[0-9a-f]{16}$/);
    const onDisk = JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'));
    expect(onDisk.peerId).toBe(first.settings.peerId);

    const again = await createSettingsStore({ dir }).load();
    expect(again.created).toBe(false);
    expect(again.settings.peerId).toBe(first.settings.peerId);
  });

  it.skipIf(process.platform === 'win32')('settings are for this user only: the file 0600, a folder it creates 0700 (POSIX modes)', async () => {
    const parent = await tempDir();
    const dir = path.join(parent, 'Multicast Chat');
    const s = store(dir);
    await s.load();
    await s.update((current) => ({ ...current, nickname: 'Ada' }));
    expect((await realFs.stat(path.join(dir, 'settings.json'))).mode & 0o777).toBe(0o600);
    expect((await realFs.stat(dir)).mode & 0o777).toBe(0o700);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a random peer id on each fresh install', () => {
    expect(defaultSettings().peerId).not.toBe(defaultSettings().peerId);
  });

  it('round trip: what update() saves is what load() reads', async () => {
    const dir = await tempDir();
    const a = store(dir);
    await a.load();
    await a.update(() => valid);
    const loaded = await store(dir).load();
    expect(loaded).toEqual({ settings: valid, created: false, notice: null });
  });

  it('update applies in memory at once and refuses invalid settings', async () => {
    const dir = await tempDir();
    const a = store(dir);
    await a.load();
    const pending = a.update((s) => ({ ...s, nickname: 'Grace' }));
    expect(a.get().nickname).toBe('Grace');
    await pending;
    await expect(a.update((s) => ({ ...s, rooms: [{ ...s.rooms[0]!, ttl: 999 }] }))).rejects.toThrow();
    expect(a.get().nickname).toBe('Grace');
    expect(JSON.parse(await readFile(a.file, 'utf8')).rooms[0].ttl).toBe(1);
  });

  it('corrupt JSON: defaults, a notice, and the bad file kept aside with its bytes', async () => {
    const dir = await tempDir();
    const bad = '{"version":1,"peerId":"fedcba98765';
    await writeFile(path.join(dir, 'settings.json'), bad);
    const result = await store(dir).load();
    expect(result.settings).toEqual(defaultSettings('00112233aabbccdd'));
    expect(result.notice).toEqual({
      level: 'warning',
      message: 'Your settings file was damaged; it was kept as settings.corrupt-2025-03-04T05-06-07-089Z.json and defaults were restored.',
    });
    expect(await readFile(path.join(dir, 'settings.corrupt-2025-03-04T05-06-07-089Z.json'), 'utf8')).toBe(bad);
    expect(JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'))).toEqual(result.settings);
  });

  it('valid JSON with an invalid value (ttl 999): the same recovery, keeping the peer id', async () => {
    const dir = await tempDir();
    const text = JSON.stringify({ ...valid, rooms: [{ ...valid.rooms[0], ttl: 999 }] });
    await writeFile(path.join(dir, 'settings.json'), text);
    const result = await store(dir).load();
    expect(result.notice?.message).toMatch(/damaged/);
    expect(result.settings.nickname).toBeNull();
    expect(result.settings.rooms).toHaveLength(1);
    expect(result.settings.peerId).toBe(valid.peerId);
    const kept = (await readdir(dir)).filter((f) => f.startsWith('settings.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(await readFile(path.join(dir, kept[0]!), 'utf8')).toBe(text);
  });

  it('rejects settings of another shape: a wrong version, a bad peer id, an interface that is not IPv4', async () => {
    for (const broken of [
      { ...valid, version: 2 },
      { ...valid, peerId: 'not-hex' },
      { ...valid, rooms: [{ ...valid.rooms[1], iface: 'eth0' }] },
      { ...valid, window: { width: 'wide', height: 600 } },
      [],
    ]) {
      const dir = await tempDir();
      await writeFile(path.join(dir, 'settings.json'), JSON.stringify(broken));
      const result = await store(dir).load();
      expect(result.notice?.level).toBe('warning');
      expect(result.settings.nickname).toBeNull();
    }
  });

  it('writes atomically: a failed write leaves the previous file intact and no temporary file behind', async () => {
    const dir = await tempDir();
    let failRename = false;
    const renames: [string, string][] = [];
    const fs: SettingsFs = {
      readFile: (f) => realFs.readFile(f),
      writeFile: (f, d, o) => realFs.writeFile(f, d, o),
      rename: async (a, b) => {
        renames.push([path.basename(a), path.basename(b)]);
        if (failRename) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
        await realFs.rename(a, b);
      },
      mkdir: (d, o) => realFs.mkdir(d, o),
      rm: (f, o) => realFs.rm(f, o),
    };
    const a = store(dir, fs);
    await a.load();
    await a.update(() => valid);
    // The new content went to a temporary file first, then replaced settings.json in one rename.
    expect(renames.at(-1)?.[0]).toMatch(/^settings\.json\..+\.tmp$/);
    expect(renames.at(-1)?.[1]).toBe('settings.json');
    const before = await readFile(path.join(dir, 'settings.json'), 'utf8');

    failRename = true;
    await expect(a.update((s) => ({ ...s, nickname: 'Grace' }))).rejects.toThrow(/EIO/);
    expect(await readFile(path.join(dir, 'settings.json'), 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('an unreadable file (not ENOENT) is left alone: defaults, an error notice, no writes', async () => {
    const dir = await tempDir();
    await realFs.mkdir(path.join(dir, 'settings.json'));
    const a = store(dir);
    const result = await a.load();
    expect(result.notice?.level).toBe('error');
    await a.update((s) => ({ ...s, nickname: 'Ada' }));
    expect((await realFs.stat(path.join(dir, 'settings.json'))).isDirectory()).toBe(true);
  });

  it('serialises concurrent updates: the last change wins on disk', async () => {
    const dir = await tempDir();
    const a = store(dir);
    await a.load();
    await Promise.all(Array.from({ length: 20 }, (_, i) => a.update((s) => ({ ...s, nickname: `n${i}` }))));
    expect(JSON.parse(await readFile(a.file, 'utf8')).nickname).toBe('n19');
    expect((await readdir(dir)).sort()).toEqual(['settings.json']);
  });

  it('saveWindowState writes only when the bounds changed', async () => {
    const dir = await tempDir();
    let writes = 0;
    const fs: SettingsFs = {
      readFile: (f) => realFs.readFile(f),
      writeFile: async (f, d, o) => {
        writes++;
        await realFs.writeFile(f, d, o);
      },
      rename: (a, b) => realFs.rename(a, b),
      mkdir: (d, o) => realFs.mkdir(d, o),
      rm: (f, o) => realFs.rm(f, o),
    };
    const a = store(dir, fs);
    await a.load();
    const initial = writes;
    await saveWindowState(a, { width: 800, height: 500, x: 1, y: 2 });
    await saveWindowState(a, { width: 800, height: 500, x: 1, y: 2 });
    expect(writes).toBe(initial + 1);
    expect(a.get().window).toEqual({ width: 800, height: 500, x: 1, y: 2 });
  });

  it('fallbackNickname uses the user name when it is a valid nickname', () => {
    expect(fallbackNickname('ada')).toBe('ada');
    expect(fallbackNickname('')).toBe('guest');
    expect(fallbackNickname(undefined)).toBe('guest');
    expect(fallbackNickname('x'.repeat(40))).toBe('guest');
  });

  it('preferences: an older file without them gets the defaults; a bad preferences section is reset alone, with a sentence', async () => {
    const dir = await tempDir();
    const { preferences: _omitted, ...older } = valid;
    void _omitted;
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify(older));
    const first = await store(dir).load();
    expect(first.notice).toBeNull();
    expect(first.settings.preferences).toEqual({ notifications: { enabled: true, defaultLevel: 'all', rooms: {} }, closeToTray: false, theme: 'system', presenter: false, defaultIface: null });

    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ ...valid, preferences: { theme: 'pink', notifications: { rooms: { x: 'loud' } } } }));
    const second = await store(dir).load();
    expect(second.settings.nickname).toBe('Ada');
    expect(second.settings.rooms).toEqual(valid.rooms);
    expect(second.settings.preferences).toEqual(DEFAULT_PREFERENCES);
    expect(second.notice).toEqual({ level: 'warning', message: expect.stringMatching(/preferences .* were not valid and were reset/) });
    await vi.waitFor(async () => expect(JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8')).preferences.theme).toBe('system'));
  });

  it('preferences patches change only what they name; a room level of null returns to the default', () => {
    const patch = (value: unknown) => preferencesPatchSchema.parse(value);
    const a = applyPreferencesPatch(DEFAULT_PREFERENCES, patch({ notifications: { rooms: { lab: 'all', lobby: 'none' } }, closeToTray: true }));
    expect(a.notifications).toEqual({ enabled: true, defaultLevel: 'all', rooms: { lab: 'all', lobby: 'none' } });
    const b = applyPreferencesPatch(a, patch({ notifications: { rooms: { lab: null }, enabled: false } }));
    expect(b).toMatchObject({ closeToTray: true, notifications: { enabled: false, rooms: { lobby: 'none' } } });
    expect(() => patch({ theme: 'pink' })).toThrow();
    expect(() => patch({ unknown: 1 })).toThrow();
    expect(() => patch({ defaultIface: 'eth0' })).toThrow();
  });
});
