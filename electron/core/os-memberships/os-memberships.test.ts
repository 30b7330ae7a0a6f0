import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { OsMemberships } from '../../../shared/group-view.js';
import { readOsMemberships, type OsMembershipDeps } from './index.js';
import { parseProcNetIgmp } from './linux-igmp.js';
import { parseNetstatGroups } from './macos-netstat.js';
import { readSystemMemberships } from './system.js';
import { parseNetshJoins } from './windows-netsh.js';

const fixture = (name: string): string => readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name), 'utf8');

function table(result: OsMemberships): Record<string, readonly string[]> {
  if (!result.available) throw new Error(`not available: ${result.reason}`);
  return Object.fromEntries(result.interfaces.map((i) => [i.name, i.groups]));
}

function reason(result: OsMemberships): string {
  if (result.available) throw new Error(`expected "not available", got ${JSON.stringify(result.interfaces)}`);
  return result.reason;
}

/** Same words, the byte order of a big-endian CPU: every group's hex reversed. */
const bigEndian = (text: string): string => text.replace(/^(\s+)([0-9A-F]{8})/gm, (_, pad: string, hex: string) => pad + (hex.match(/../g) ?? []).reverse().join(''));

describe('Linux: /proc/net/igmp', () => {
  it('reads a capture of this machine: groups per device, little-endian hex', () => {
    const result = parseProcNetIgmp(fixture('linux-igmp.capture.txt'), 'LE');
    expect(result).toMatchObject({ available: true, source: '/proc/net/igmp' });
    expect(table(result)).toEqual({ lo: ['239.255.42.99', '224.0.0.1'], eth0: ['224.0.0.1'] });
  });

  it('reads several devices, timers, an IGMPv2 querier and a long device name', () => {
    expect(table(parseProcNetIgmp(fixture('linux-igmp.fixture.txt'), 'LE'))).toEqual({
      lo: ['239.255.42.99', '224.0.0.1'],
      eth0: ['239.255.42.99', '239.255.255.250', '224.0.0.251', '224.0.0.1'],
      wlan0: ['224.0.0.1'],
      'br-4f3a2b1c9d8e': ['224.0.0.1'],
    });
  });

  it('follows the byte order of the CPU it runs on, and notices the wrong one', () => {
    const text = fixture('linux-igmp.fixture.txt');
    expect(table(parseProcNetIgmp(bigEndian(text), 'BE'))).toEqual(table(parseProcNetIgmp(text, 'LE')));
    // 632AFFEF read big-endian is 99.42.255.239: unicast, so the table is not trusted.
    expect(reason(parseProcNetIgmp(text, 'BE'))).toBe('/proc/net/igmp, line 3: 632AFFEF reads as 99.42.255.239, not a multicast group');
  });

  it('this machine: reads the real file', async () => {
    const result = await readSystemMemberships();
    if (process.platform !== 'linux') return;
    // Every Linux host with IPv4 on lo holds 224.0.0.1 (all hosts) there.
    expect(table(result)['lo']).toContain('224.0.0.1');
  });

  it('says "not available" for what is not the table', () => {
    expect(reason(parseProcNetIgmp('', 'LE'))).toMatch(/does not start with the expected header/);
    expect(reason(parseProcNetIgmp('Idx\tDevice    : Count Querier\n\t\t\t\t010000E0     1 0:00000000\t\t0\n', 'LE'))).toBe('/proc/net/igmp, line 2, was not understood');
    expect(reason(parseProcNetIgmp('Idx\tDevice    : Count Querier\n1\tlo        :     1      V3\n\t\t\t\tZZ0000E0     1 0:0\t\t0\n', 'LE'))).toBe('/proc/net/igmp, line 3, was not understood');
    expect(reason(parseProcNetIgmp('Idx\tDevice : Count\n1\tlo :\n\t\t\t\t0100007F 1 0:0 0\n', 'LE'))).toMatch(/reads as 127\.0\.0\.1, not a multicast group/);
    expect(reason(parseProcNetIgmp(`Idx Device :\n${'x'.repeat(5 * 1024 * 1024)}`, 'LE'))).toMatch(/characters long/);
  });

  it('a device without groups, blank lines and Windows line ends are fine', () => {
    const text = 'Idx\tDevice    : Count Querier\r\n1\tlo        :     0      V3\r\n\r\n';
    expect(table(parseProcNetIgmp(text, 'LE'))).toEqual({ lo: [] });
  });
});

describe('macOS: netstat -g -n', () => {
  it('reads the IPv4 table only, per interface', () => {
    const result = parseNetstatGroups(fixture('macos-netstat.fixture.txt'));
    expect(result).toMatchObject({ available: true, source: 'netstat -g -n' });
    expect(table(result)).toEqual({
      en0: ['224.0.0.251', '239.255.42.99', '224.0.0.1'],
      lo0: ['224.0.0.251', '239.255.42.99', '224.0.0.1'],
      bridge100: ['224.0.0.1'],
    });
  });

  it('skips a row the kernel gave no interface for', () => {
    const text = 'IPv4 Multicast Group Memberships\nGroup               \tLink-layer Address\tNetif\n224.0.0.1           \t<none>          \t\n224.0.0.251         \t<none>          \ten0\n';
    expect(table(parseNetstatGroups(text))).toEqual({ en0: ['224.0.0.251'] });
  });

  it('says "not available" for anything else', () => {
    expect(reason(parseNetstatGroups(''))).toBe('netstat -g -n printed nothing');
    expect(reason(parseNetstatGroups('netstat: illegal option -- g\nusage: netstat [-AaLlnW] [-f address_family | -p protocol]\n'))).toBe(
      'netstat -g -n printed no IPv4 membership table ("netstat: illegal option -- g")',
    );
    expect(reason(parseNetstatGroups('IPv4 Multicast Group Memberships\nsomething else\n'))).toBe("netstat -g -n, line 2, is not the table's heading");
    const heading = 'IPv4 Multicast Group Memberships\nGroup\tLink-layer Address\tNetif\n';
    expect(reason(parseNetstatGroups(`${heading}192.168.1.10\t<none>\ten0\n`))).toBe('netstat -g -n, line 3, was not understood');
    expect(reason(parseNetstatGroups(`${heading}224.0.0.1\t<none>\ten0\tsurprise\n`))).toBe('netstat -g -n, line 3, was not understood');
  });
});

describe('Windows: netsh interface ipv4 show joins', () => {
  const expected = {
    'Loopback Pseudo-Interface 1': ['239.255.255.250', '239.255.42.99'],
    'Wi-Fi': ['224.0.0.1', '224.0.0.251', '224.0.0.252', '239.255.255.250', '239.255.42.99'],
    'vEthernet (Default Switch)': ['224.0.0.1', '224.0.0.251'],
  };

  it('reads every interface, names with spaces and brackets included, with CRLF line ends too', () => {
    const text = fixture('windows-netsh.fixture.txt');
    expect(parseNetshJoins(text)).toMatchObject({ available: true, source: 'netsh interface ipv4 show joins' });
    expect(table(parseNetshJoins(text))).toEqual(expected);
    expect(table(parseNetshJoins(text.replace(/\n/g, '\r\n')))).toEqual(expected);
  });

  it('reads a translated Windows by the shape of its lines', () => {
    const german = `
Schnittstelle 12: WLAN

Bereich     Verweise    Letzte  Adresse
----------  ----------  ------  ---------------------------------
0                    2  Ja      224.0.0.251
0                    1  Ja      239.255.42.99
`;
    expect(table(parseNetshJoins(german))).toEqual({ WLAN: ['224.0.0.251', '239.255.42.99'] });
  });

  it('says "not available" for anything else', () => {
    expect(reason(parseNetshJoins(''))).toBe('netsh interface ipv4 show joins printed nothing');
    expect(reason(parseNetshJoins('The following command was not found: interface ipv4 show joins.\r\n'))).toBe(
      'netsh interface ipv4 show joins printed no interface ("The following command was not found: interface ipv4 show joins.")',
    );
    expect(reason(parseNetshJoins('0    1  Yes   224.0.0.1\n'))).toBe('netsh interface ipv4 show joins, line 1, was not understood');
    expect(reason(parseNetshJoins('Interface 3: Ethernet\n\n0    1  Yes   10.0.0.1\n'))).toBe('netsh interface ipv4 show joins, line 3, was not understood');
    expect(reason(parseNetshJoins('Interface 3: Ethernet\n\nan odd line\n0    1  Yes   224.0.0.1\n'))).toBe('netsh interface ipv4 show joins, line 3, was not understood');
  });
});

describe('readOsMemberships', () => {
  const deps = (overrides: Partial<OsMembershipDeps>): OsMembershipDeps => ({
    platform: 'linux',
    endianness: 'LE',
    readFile: () => Promise.reject(new Error('no file system in this test')),
    run: () => Promise.reject(new Error('no programs in this test')),
    ...overrides,
  });

  it('asks each OS its own way', async () => {
    const asked: string[] = [];
    const readFile = async (file: string) => (asked.push(file), fixture('linux-igmp.capture.txt'));
    const run = async (command: string, args: readonly string[]) => {
      asked.push([command, ...args].join(' '));
      return fixture(command === 'netstat' ? 'macos-netstat.fixture.txt' : 'windows-netsh.fixture.txt');
    };
    expect(table(await readOsMemberships(deps({ platform: 'linux', readFile, run })))).toHaveProperty('lo');
    expect(table(await readOsMemberships(deps({ platform: 'darwin', readFile, run })))).toHaveProperty('en0');
    expect(table(await readOsMemberships(deps({ platform: 'win32', readFile, run })))).toHaveProperty('Wi-Fi');
    expect(asked).toEqual(['/proc/net/igmp', 'netstat -g -n', 'netsh interface ipv4 show joins']);
  });

  it('turns every failure into "not available" with the reason', async () => {
    const enoent = Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
    expect(reason(await readOsMemberships(deps({ readFile: () => Promise.reject(enoent) })))).toBe('/proc/net/igmp could not be read (ENOENT)');
    expect(reason(await readOsMemberships(deps({ platform: 'darwin', run: () => Promise.reject(new Error('Command failed: netstat')) })))).toBe(
      'netstat -g -n could not be read (Command failed: netstat)',
    );
    expect(reason(await readOsMemberships(deps({ platform: 'freebsd' })))).toBe('reading the memberships of freebsd is not supported');
    // A runner that breaks its promise and throws outright is caught too.
    const throwing = () => {
      throw new TypeError('boom');
    };
    expect(reason(await readOsMemberships(deps({ platform: 'win32', run: throwing })))).toBe('netsh interface ipv4 show joins could not be read (boom)');
  });
});
