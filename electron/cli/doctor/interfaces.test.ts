import { describe, expect, it } from 'vitest';
import { autoSelectInterfaces, type NetInterface } from '../../core/interfaces.js';
import { planInterfaces } from './interfaces.js';

const nic = (name: string, address: string, extra: Partial<NetInterface> = {}): NetInterface => ({ name, address, internal: false, up: true, multicast: true, ...extra });

const machine = [
  nic('lo', '127.0.0.1', { internal: true }),
  nic('eth0', '198.18.1.2'),
  nic('eth1', '198.18.3.2', { up: false }),
  nic('ib0', '198.18.4.2', { multicast: false }),
  nic('docker0', '198.18.5.1'),
];

describe('doctor: which interfaces a room would use', () => {
  it('uses what the core picks and gives the first reason for every other one', () => {
    const { verdicts, problem } = planInterfaces(machine, undefined);
    expect(problem).toBeNull();
    expect(verdicts.filter((v) => v.use).map((v) => v.name)).toEqual(autoSelectInterfaces(machine).map((i) => i.name));
    const reason = (name: string): string => verdicts.find((v) => v.name === name)?.reason ?? '';
    expect(reason('lo')).toMatch(/^loopback: reaches only this computer/);
    expect(reason('eth1')).toBe('down');
    expect(reason('ib0')).toBe('its link has no multicast flag');
    expect(reason('docker0')).toMatch(/^a virtual adapter by its name/);
  });

  it('uses only the pinned interface', () => {
    const { verdicts, problem } = planInterfaces(machine, '127.0.0.1');
    expect(problem).toBeNull();
    expect(verdicts.filter((v) => v.use)).toEqual([{ name: 'lo', address: '127.0.0.1', use: true, reason: 'pinned with --iface' }]);
  });

  it('warns when the pinned address is not on this machine', () => {
    const { verdicts, problem } = planInterfaces(machine, '198.18.9.9');
    expect(verdicts.some((v) => v.use)).toBe(false);
    expect(problem).toMatchObject({ status: 'WARN', text: expect.stringContaining('198.18.9.9') });
  });

  it('falls back to loopback, as the core does, and warns', () => {
    const { verdicts, problem } = planInterfaces([nic('lo', '127.0.0.1', { internal: true }), nic('eth0', '198.18.1.2', { up: false })], undefined);
    expect(verdicts.filter((v) => v.use).map((v) => v.name)).toEqual(['lo']);
    expect(problem).toMatchObject({ status: 'WARN', text: expect.stringContaining('fall back to loopback') });
  });
});
