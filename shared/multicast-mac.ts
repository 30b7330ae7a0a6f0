import { ipv4ToNumber, isLinkLocalMulticast, isMulticastIPv4 } from './ipv4.js';

/**
 * How an IPv4 multicast group appears on Ethernet (RFC 1112 §6.4): 01:00:5e followed by the low
 * 23 bits of the group. The 5 bits in between are dropped, so 2^5 = 32 groups share each address
 * and a network card's filter lets all of them in: the kernel sorts them out.
 */

/** The bits of a group that survive in its Ethernet address. */
const LOW_23 = 0x007fffff;
export const GROUPS_PER_MAC = 32;

function dotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff).join('.');
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** "01:00:5e:7f:2a:63" for 239.255.42.99; null for anything but an IPv4 multicast group. */
export function multicastMac(group: string): string | null {
  const n = ipv4ToNumber(group);
  if (n === null || !isMulticastIPv4(group)) return null;
  const low = n & LOW_23;
  return ['01', '00', '5e', hex(low >>> 16), hex((low >>> 8) & 0xff), hex(low & 0xff)].join(':');
}

/** All 32 groups with the same Ethernet address as `group` (itself included), lowest first. */
export function groupsSharingMac(group: string): string[] {
  const n = ipv4ToNumber(group);
  if (n === null || !isMulticastIPv4(group)) return [];
  const low = n & LOW_23;
  // 1110 (every IPv4 multicast group) + the 5 dropped bits + the 23 kept ones.
  return Array.from({ length: GROUPS_PER_MAC }, (_, k) => dotted((0xe0000000 | (k << 23) | low) >>> 0));
}

export interface GroupMac {
  readonly group: string;
  readonly mac: string;
  /** The other 31 groups a network card cannot tell apart from this one. */
  readonly sharedWith: number;
  /** The first two of them, lowest first: enough to make the point in a sentence. */
  readonly examples: readonly string[];
  /** 224.0.0.x: routers never forward it, whatever the TTL. */
  readonly linkLocal: boolean;
}

export function describeGroupMac(group: string): GroupMac | null {
  const mac = multicastMac(group);
  if (mac === null) return null;
  const others = groupsSharingMac(group).filter((g) => g !== group);
  return { group, mac, sharedWith: others.length, examples: others.slice(0, 2), linkLocal: isLinkLocalMulticast(group) };
}
