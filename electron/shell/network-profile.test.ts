import { describe, expect, it, vi } from 'vitest';
import { publicNetworkNotice } from './network-profile.js';

describe('the Windows network profile, said in the window', () => {
  it('warns when a connected network is Public', async () => {
    const run = vi.fn(async (_program: string, _args: readonly string[]) => 'Ethernet|Public\r\nWi-Fi|Private\r\n');
    const notice = await publicNetworkNotice('win32', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', run);
    expect(notice).toMatchObject({ level: 'warning' });
    expect(notice?.message).toContain('Ethernet is a Public network');
    expect(run.mock.calls[0]?.[1]).toContain('-NonInteractive');
  });

  it('says nothing for Private networks, when PowerShell fails, or on other systems', async () => {
    expect(await publicNetworkNotice('win32', 'ps', async () => 'Ethernet|DomainAuthenticated\n')).toBeNull();
    expect(await publicNetworkNotice('win32', 'ps', async () => Promise.reject(new Error('not found')))).toBeNull();
    const run = vi.fn(async () => 'Ethernet|Public');
    expect(await publicNetworkNotice('linux', 'ps', run)).toBeNull();
    expect(run).not.toHaveBeenCalled();
  });
});
