import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { InterfaceInfo } from '../../shared/events.js';
import { ipv4ToNumber } from '../../shared/ipv4.js';

/** One IPv4 address of one network interface, with what we know about its link. */
export interface NetInterface extends InterfaceInfo {
  readonly internal: boolean;
  /** Dotted netmask, where the OS told it: which interface a datagram's source is on. */
  readonly netmask?: string;
  /** null where the OS does not tell (only Linux exposes the flags through sysfs). */
  readonly up: boolean | null;
  readonly multicast: boolean | null;
}

export type InterfaceSource = () => NetInterface[];

/**
 * Adapters that are not the user's LAN: containers, bridges, VMs, VPNs, Apple's peer-to-peer
 * Wi-Fi. Picking one of these instead of the real card is the most common complaint about LAN
 * chat apps (localsend#1538), so they are never chosen automatically; pin one with --iface.
 */
const VIRTUAL_NAME =
  /^(docker|br-|veth|virbr|vmnet|vboxnet|vnic|tun|tap|wg|utun|zt|tailscale|ts\d|lxcbr|lxdbr|cni|flannel|cali|kube|podman|ipsec|ppp|nordlynx|awdl|llw|anpi|bridge|gif|stf|ham|vEthernet)|virtualbox|vmware|hyper-v|openvpn|wireguard|tap-windows|zerotier|npcap|vpn/i;

export function isVirtualInterfaceName(name: string): boolean {
  return VIRTUAL_NAME.test(name);
}

const IFF_UP = 0x1;
const IFF_MULTICAST = 0x1000;

function linuxFlags(name: string): number | null {
  try {
    return Number.parseInt(readFileSync(`/sys/class/net/${name}/flags`, 'utf8').trim(), 16);
  } catch {
    return null;
  }
}

/** Reads the machine's IPv4 interfaces from the OS. */
export const systemInterfaces: InterfaceSource = () => {
  const result: NetInterface[] = [];
  for (const [name, addresses] of Object.entries(os.networkInterfaces())) {
    const flags = process.platform === 'linux' ? linuxFlags(name) : null;
    for (const info of addresses ?? []) {
      if (info.family !== 'IPv4') continue;
      result.push({
        name,
        address: info.address,
        netmask: info.netmask,
        internal: info.internal,
        up: flags === null ? null : (flags & IFF_UP) !== 0,
        multicast: flags === null ? null : (flags & IFF_MULTICAST) !== 0,
      });
    }
  }
  return result;
};

/**
 * Where a room joins when no interface is pinned: every up, non-internal, multicast-capable,
 * non-virtual IPv4 interface (Node's addMembership without an interface joins only one: node#1692).
 */
export function autoSelectInterfaces(all: readonly NetInterface[]): NetInterface[] {
  return all.filter((i) => !i.internal && i.up !== false && i.multicast !== false && !isVirtualInterfaceName(i.name));
}

export function findInterfaceByAddress(all: readonly NetInterface[], address: string): NetInterface | undefined {
  return all.find((i) => i.address === address);
}

export function loopbackInterface(all: readonly NetInterface[]): NetInterface | undefined {
  return all.find((i) => i.internal && i.address.startsWith('127.'));
}

/**
 * The interface a datagram from `source` came in on, as far as we can tell without IP_PKTINFO
 * (Node has none): the only joined one, else the one whose subnet holds the source.
 */
export function arrivalInterface(joined: readonly NetInterface[], source: string): NetInterface | undefined {
  if (joined.length === 1) return joined[0];
  const from = ipv4ToNumber(source);
  if (from === null) return undefined;
  return joined.find((i) => {
    const address = ipv4ToNumber(i.address);
    const mask = i.netmask === undefined ? null : ipv4ToNumber(i.netmask);
    return address !== null && mask !== null && ((address ^ from) & mask) === 0;
  });
}
