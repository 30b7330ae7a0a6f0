import { mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { profileDir, userConfigRoot } from './config-dir.js';
import { openProfile, type CliProfile } from './profile.js';
import { claimSlot, slotDir } from './slot-lock.js';

const temps: string[] = [];
const opened: CliProfile[] = [];
function tempHome(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcchat-profile-'));
  temps.push(dir);
  return dir;
}
async function open(home: string, profile: string | null = null): Promise<CliProfile> {
  const p = await openProfile(profile, { platform: 'linux', env: { XDG_CONFIG_HOME: path.join(home, 'config') }, home });
  opened.push(p);
  return p;
}

afterEach(() => {
  for (const p of opened.splice(0)) p.release();
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('where mcchat keeps its key', () => {
  it('follows each OS', () => {
    expect(userConfigRoot({ platform: 'linux', env: { XDG_CONFIG_HOME: '/x/cfg' }, home: '/home/a' })).toBe('/x/cfg');
    expect(userConfigRoot({ platform: 'linux', env: { XDG_CONFIG_HOME: 'relative' }, home: '/home/a' })).toBe(path.join('/home/a', '.config'));
    expect(userConfigRoot({ platform: 'linux', env: {}, home: '/home/a' })).toBe(path.join('/home/a', '.config'));
    expect(userConfigRoot({ platform: 'darwin', env: {}, home: '/Users/a' })).toBe(path.join('/Users/a', 'Library', 'Application Support'));
    expect(userConfigRoot({ platform: 'win32', env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, home: 'C:\\Users\\a' })).toBe('C:\\Users\\a\\AppData\\Roaming');
    expect(profileDir('/cfg', null)).toBe(path.join('/cfg', 'mcchat'));
    expect(profileDir('/cfg', 'bob')).toBe(path.join('/cfg', 'mcchat-bob'));
  });
});

describe('one person, one key', () => {
  it('keeps the same key from run to run, in files only the user can read', async () => {
    const home = tempHome();
    const first = await open(home);
    const peerId = first.identity.peerId;
    expect(first.slot).toBe(1);
    first.release();
    const second = await open(home);
    expect(second.identity.peerId).toBe(peerId);
    expect(second.notices).toEqual([]);
    expect(statSync(path.join(first.dir, 'identity.json')).mode & 0o777).toBe(0o600);
    expect(statSync(first.dir).mode & 0o777).toBe(0o700);
  });

  it('gives a profile its own key', async () => {
    const home = tempHome();
    const main = await open(home);
    const bob = await open(home, 'bob');
    expect(bob.slot).toBe(1);
    expect(bob.identity.peerId).not.toBe(main.identity.peerId);
    expect(bob.dir.endsWith('mcchat-bob')).toBe(true);
  });

  it('gives a run alongside another its own key, also kept, and a nickname of its own', async () => {
    const home = tempHome();
    const first = await open(home);
    const second = await open(home);
    expect(second.slot).toBe(2);
    expect(second.identity.peerId).not.toBe(first.identity.peerId);
    expect(second.defaultNick()).toBe(`${first.defaultNick()}-2`);
    const secondId = second.identity.peerId;
    second.release();
    const again = await open(home);
    expect(again.identity.peerId).toBe(secondId);
  });

  it('takes over the key of a run that was killed', async () => {
    const home = tempHome();
    const first = await open(home);
    const peerId = first.identity.peerId;
    first.release();
    // A lock left by a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max default).
    writeFileSync(path.join(first.dir, 'in-use.lock'), '4194305\n');
    expect((await open(home)).identity.peerId).toBe(peerId);
  });

  it('leaves no lock behind when released', () => {
    const home = tempHome();
    const slot = claimSlot(path.join(home, 'p'));
    expect(slot?.number).toBe(1);
    slot?.release();
    expect(readdirSync(slotDir(path.join(home, 'p'), 1))).toEqual([]);
  });

  it('remembers the nickname set with /nick', async () => {
    const home = tempHome();
    const first = await open(home);
    await first.saveNickname('teacher');
    first.release();
    expect((await open(home)).defaultNick()).toBe('teacher');
    expect(statSync(path.join(first.dir, 'mcchat.json')).mode & 0o777).toBe(0o600);
  });
});
