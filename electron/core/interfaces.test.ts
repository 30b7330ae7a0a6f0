import { describe, expect, it } from 'vitest';
import { autoSelectInterfaces, isVirtualInterfaceName, systemInterfaces, type NetInterface } from './interfaces.js';

const nic = (name: string, address: string, extra: Partial<NetInterface> = {}): NetInterface => ({ name, address, internal: false, up: true, multicast: true, ...extra });

describe('interface selection', () => {
  it.each(['docker0', 'br-1a2b', 'veth12ab', 'virbr0', 'vmnet8', 'vboxnet0', 'tun0', 'wg0', 'utun3', 'tailscale0', 'awdl0', 'vEthernet (WSL)', 'VirtualBox Host-Only Network', 'ZeroTier One'])(
    'treats %s as virtual',
    (name) => expect(isVirtualInterfaceName(name)).toBe(true),
  );

  it.each(['eth0', 'enp3s0', 'wlan0', 'wlp2s0', 'en0', 'Ethernet', 'Wi-Fi'])('treats %s as a LAN card', (name) => expect(isVirtualInterfaceName(name)).toBe(false));

  it('keeps only up, multicast-capable, non-internal, non-virtual interfaces', () => {
    const all = [
      nic('lo', '127.0.0.1', { internal: true }),
      nic('eth0', '198.18.1.2'),
      nic('eth1', '198.18.3.2', { up: false }),
      nic('ib0', '198.18.4.2', { multicast: false }),
      nic('docker0', '198.18.5.1'),
      nic('en0', '198.18.6.2', { up: null, multicast: null }),
    ];
    expect(autoSelectInterfaces(all).map((i) => i.name)).toEqual(['eth0', 'en0']);
  });

  it('reads this machine, loopback included, with Linux link flags', () => {
    const lo = systemInterfaces().find((i) => i.address === '127.0.0.1');
    expect(lo).toMatchObject({ internal: true });
    if (process.platform === 'linux') expect(lo?.up).toBe(true);
  });
});
