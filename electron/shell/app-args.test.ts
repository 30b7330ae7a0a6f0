import { describe, expect, it } from 'vitest';
import { AppArgsError, parseAppArgs, profileUserDataPath, userArgv } from './app-args.js';

describe('app arguments', () => {
  it('reads --iface and --profile, in both spellings, ignoring Chromium switches', () => {
    expect(parseAppArgs(['--iface', '127.0.0.1', '--enable-logging', '--profile=alice'], {})).toEqual({ iface: '127.0.0.1', profile: 'alice' });
    expect(parseAppArgs(['--iface=192.168.1.20'], {})).toEqual({ iface: '192.168.1.20', profile: null });
    expect(parseAppArgs([], {})).toEqual({ iface: null, profile: null });
  });

  it('falls back to MCCHAT_IFACE and MCCHAT_PROFILE; the command line wins', () => {
    expect(parseAppArgs([], { MCCHAT_IFACE: '127.0.0.1', MCCHAT_PROFILE: 'bob' })).toEqual({ iface: '127.0.0.1', profile: 'bob' });
    expect(parseAppArgs(['--profile', 'carol'], { MCCHAT_PROFILE: 'bob' }).profile).toBe('carol');
    expect(parseAppArgs([], { MCCHAT_IFACE: '  ' }).iface).toBeNull();
  });

  it('refuses a bad interface with one readable sentence naming where it came from', () => {
    expect(() => parseAppArgs(['--iface', 'eth0'], {})).toThrow(AppArgsError);
    expect(() => parseAppArgs(['--iface', 'eth0'], {})).toThrow(/--iface "eth0": The interface must be an IPv4 address/);
    expect(() => parseAppArgs([], { MCCHAT_IFACE: '300.1.1.1' })).toThrow(/MCCHAT_IFACE "300.1.1.1"/);
    expect(() => parseAppArgs(['--iface'], {})).toThrow(/--iface needs a value/);
    expect(() => parseAppArgs(['--iface', '--profile', 'x'], {})).toThrow(/--iface needs a value/);
  });

  it('refuses a profile name that could escape its folder or is too long', () => {
    for (const bad of ['../x', 'a/b', 'a b', '', 'x'.repeat(33), 'é']) {
      expect(() => parseAppArgs([`--profile=${bad}`], {}), bad).toThrow(AppArgsError);
    }
    expect(parseAppArgs(['--profile', 'A-b_9'], {}).profile).toBe('A-b_9');
  });

  it('skips the executable (packaged) or the executable and app folder (electron .)', () => {
    expect(userArgv(['/opt/app/multicast-chat', '--iface', '1.2.3.4'], true)).toEqual(['--iface', '1.2.3.4']);
    expect(userArgv(['/x/electron', '.', '--iface', '1.2.3.4'], false)).toEqual(['--iface', '1.2.3.4']);
  });

  it('gives each profile its own user data folder next to the default one', () => {
    expect(profileUserDataPath('/home/u/.config/Multicast Chat', null)).toBe('/home/u/.config/Multicast Chat');
    expect(profileUserDataPath('/home/u/.config/Multicast Chat', 'bob')).toBe('/home/u/.config/Multicast Chat-bob');
  });
});
