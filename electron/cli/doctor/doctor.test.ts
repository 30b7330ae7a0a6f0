import { describe, expect, it } from 'vitest';
import type { NetInterface } from '../../core/interfaces.js';
import { runDoctor, type DoctorDeps } from './doctor.js';
import { doctorJson, doctorLines } from './report.js';

const interfaces: NetInterface[] = [
  { name: 'lo', address: '127.0.0.1', internal: true, up: true, multicast: false },
  { name: 'eth0\x1b[2J', address: '198.18.1.2', internal: false, up: true, multicast: true },
];

function deps(order: string[]): DoctorDeps {
  return {
    platform: 'linux',
    interfaces: () => interfaces,
    memberships: () => {
      order.push('memberships');
      return Promise.resolve({ available: true, source: '/proc/net/igmp', interfaces: [{ name: 'lo', groups: ['224.0.0.1'] }, { name: 'eth0\x1b[2J', groups: ['224.0.0.1', '239.255.42.99'] }] });
    },
    selfTest: (group) => {
      order.push(`self-test ${group}`);
      return Promise.resolve({ status: 'OK', name: 'loopback self-test', text: 'heard' });
    },
    readText: (path) => (path.endsWith('rp_filter') ? Promise.resolve('1\n') : Promise.reject(Object.assign(new Error('no'), { code: 'ENOENT' }))),
    run: () => Promise.resolve(''),
    findProgram: (candidates) => candidates[0] ?? null,
  };
}

describe('mcchat doctor', () => {
  it('reads the memberships before its self-test joins the group, then checks the platform', async () => {
    const order: string[] = [];
    const report = await runDoctor(deps(order), { group: '239.255.42.99', port: 4242, iface: undefined });
    expect(order).toEqual(['memberships', 'self-test 239.255.42.99']);
    expect(report.checks.map((c) => `${c.status} ${c.name}`)).toEqual(['OK loopback self-test', 'INFO rp_filter', 'OK firewall (nftables)']);
    expect(report.interfaces.map((i) => i.use)).toEqual([false, true]);
  });

  it('prints its sections with names from the OS escaped', async () => {
    const report = await runDoctor(deps([]), { group: '239.255.42.99', port: 4242, iface: undefined });
    const lines = doctorLines(report, '1.2.3');
    expect(lines[0]).toBe('mcchat doctor 1.2.3 on linux');
    expect(lines).toContain('Interfaces (a room on 239.255.42.99:4242 without --iface joins those marked "use"):');
    expect(lines).toContain('  use   eth0\\x1b[2J 198.18.1.2: up, multicast, a LAN adapter');
    expect(lines).toContain('OS memberships (from /proc/net/igmp):');
    expect(lines).toContain('  239.255.42.99 is held on eth0\\x1b[2J: a program on this host is in the room now');
    expect(lines).toContain('Checks:');
    expect(lines).toContain('  OK    loopback self-test: heard');
    expect(lines.join('\n')).not.toContain('\x1b');
  });

  it('writes one JSON object with the same facts', async () => {
    const report = await runDoctor(deps([]), { group: '239.255.42.99', port: 4242, iface: '127.0.0.1' });
    const line = doctorJson(report);
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({ kind: 'doctor', platform: 'linux', group: '239.255.42.99', port: 4242, pinned: '127.0.0.1' });
    expect(parsed['interfaces']).toEqual([
      { name: 'lo', address: '127.0.0.1', use: true, reason: 'pinned with --iface' },
      { name: 'eth0\x1b[2J', address: '198.18.1.2', use: false, reason: 'not the pinned interface' },
    ]);
  });
});
