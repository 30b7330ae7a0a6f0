import { describe, expect, it } from 'vitest';
import { firewallChecks, nftVerdict, rpFilterCheck, rpFilterVerdict, summarizeNftRuleset } from './linux.js';
import { macChecks, macFirewallVerdict } from './macos.js';
import { windowsChecks, windowsProfileVerdict } from './windows.js';

/** `nft list ruleset` of a Debian host with a typical hand-written firewall. */
const DROPPING_INPUT = `table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iif "lo" accept
		tcp dport 22 accept
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
	}
}
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" masquerade
	}
}
`;

/** What Docker leaves (iptables-nft): drop rules, but input accepts. */
const DOCKER = `table ip filter {
	chain INPUT {
		type filter hook input priority filter; policy accept;
	}
	chain DOCKER-ISOLATION-STAGE-2 {
		oifname "docker0" counter packets 0 bytes 0 drop
	}
}
`;

const files = (entries: Record<string, string>) => (path: string) => (path in entries ? Promise.resolve(entries[path] as string) : Promise.reject(Object.assign(new Error('no'), { code: 'ENOENT' })));

describe('doctor on Linux', () => {
  it('reads the larger of all and the device, as the kernel does', async () => {
    const read = files({ '/proc/sys/net/ipv4/conf/all/rp_filter': '0\n', '/proc/sys/net/ipv4/conf/eth0/rp_filter': '2\n' });
    expect(await rpFilterCheck(['eth0'], read)).toMatchObject({ status: 'OK', text: expect.stringContaining('eth0 2') });
    const strictAll = files({ '/proc/sys/net/ipv4/conf/all/rp_filter': '1\n', '/proc/sys/net/ipv4/conf/eth0/rp_filter': '0\n' });
    expect(await rpFilterCheck(['eth0:1'], strictAll)).toMatchObject({ status: 'INFO', text: expect.stringMatching(/^Strict \(1\) on eth0: fine while/) });
  });

  it('warns about strict filtering with two networks', () => {
    const verdict = rpFilterVerdict(0, new Map([['eth0', 1], ['wlan0', 0]]));
    expect(verdict).toMatchObject({ status: 'WARN', text: expect.stringContaining('sysctl -w net.ipv4.conf.all.rp_filter=2') });
  });

  it('says when there is nothing to check or nothing could be read', () => {
    expect(rpFilterVerdict(1, new Map())).toMatchObject({ status: 'INFO' });
    expect(rpFilterVerdict(null, new Map([['eth0', null]]))).toMatchObject({ status: 'INFO', text: expect.stringContaining('Could not read') });
  });

  it('finds an input chain that drops by default', () => {
    expect(summarizeNftRuleset(DROPPING_INPUT)).toEqual({ tables: ['inet filter', 'ip nat'], dropInput: ['inet filter'], dropping: [] });
    expect(nftVerdict(DROPPING_INPUT, 4242)).toMatchObject({ status: 'WARN', text: expect.stringContaining('UDP to port 4242') });
  });

  it('says drop rules may be fine, and no rules is fine', () => {
    expect(nftVerdict(DOCKER, 4242)).toMatchObject({ status: 'INFO', text: expect.stringContaining('may be fine') });
    expect(nftVerdict('', 4242)).toMatchObject({ status: 'OK' });
    expect(nftVerdict('table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n\t\tcounter\n\t}\n}\n', 4242)).toMatchObject({ status: 'OK' });
  });

  it('reports what it could not read, and legacy iptables tables', async () => {
    const denied = () => Promise.reject(new Error('Operation not permitted (you must be root)'));
    const checks = await firewallChecks('/usr/sbin/nft', denied, files({ '/proc/net/ip_tables_names': 'filter\nnat\n' }), 4242);
    expect(checks).toEqual([
      { status: 'INFO', name: 'firewall (nftables)', text: 'Could not read the rules (Operation not permitted (you must be root)); as root mcchat doctor can. They may be fine.' },
      { status: 'INFO', name: 'firewall (iptables)', text: expect.stringContaining('(filter, nat)') },
    ]);
    expect(await firewallChecks(null, denied, files({}), 4242)).toEqual([{ status: 'INFO', name: 'firewall (nftables)', text: 'nft not found: nftables rules not checked.' }]);
  });
});

describe('doctor on Windows', () => {
  it('warns about a Public network', () => {
    expect(windowsProfileVerdict('Ethernet|Public\r\nWi-Fi|Private\r\n')).toMatchObject({ status: 'WARN', text: expect.stringMatching(/^Ethernet is a Public network/) });
  });

  it('is fine on Private and Domain networks, and says when there is none', () => {
    expect(windowsProfileVerdict('Ethernet|DomainAuthenticated\r\nWi-Fi|Private\r\n')).toMatchObject({ status: 'OK', text: expect.stringContaining('Ethernet DomainAuthenticated, Wi-Fi Private') });
    expect(windowsProfileVerdict('')).toMatchObject({ status: 'INFO' });
  });

  it('asks PowerShell by its full path and says when it cannot', async () => {
    const asked: string[] = [];
    await windowsChecks('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', (program) => {
      asked.push(program);
      return Promise.resolve('Ethernet|Private\r\n');
    });
    expect(asked).toEqual(['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe']);
    expect(await windowsChecks('x', () => Promise.reject(new Error('ENOENT')))).toMatchObject([{ status: 'INFO', text: expect.stringContaining('Public') }]);
  });
});

describe('doctor on macOS', () => {
  it('reads the application firewall state', () => {
    expect(macFirewallVerdict('Firewall is disabled. (State = 0)\n')).toMatchObject({ status: 'OK' });
    expect(macFirewallVerdict('Firewall is enabled. (State = 1)\n')).toMatchObject({ status: 'INFO' });
    expect(macFirewallVerdict('Firewall is blocking all non-essential incoming connections. (State = 2)\n')).toMatchObject({ status: 'WARN' });
  });

  it('always says where the Local Network permission is, since no program can read it', async () => {
    const checks = await macChecks(() => Promise.resolve('Firewall is disabled. (State = 0)\n'));
    expect(checks.map((c) => c.name)).toEqual(['Local Network permission', 'application firewall']);
    expect(checks[0]?.text).toContain('Privacy & Security → Local Network');
  });
});
