import type { OsMemberships } from '../../../shared/group-view.js';
import { lines, MAX_OS_TEXT, MembershipTable, unavailable } from './parse-common.js';

export const PROC_NET_IGMP = '/proc/net/igmp';

/**
 * /proc/net/igmp (net/ipv4/igmp.c, igmp_mc_seq_show): a header, then per device one line
 * "idx<TAB>name      :  count querier" followed by one indented line per group:
 * "<TAB><TAB><TAB><TAB>632AFFEF     2 0:00000000<TAB><TAB>0". The group is printed with %08X
 * from its network-order 32-bit word read as a host integer, so on a little-endian CPU (x86,
 * most ARM) the bytes come out reversed: 632AFFEF is 239.255.42.99.
 */
const HEADER = /^Idx\s+Device\s*:/;
// Device names have neither whitespace nor ':' (dev_valid_name), so the first ':' ends the name.
const DEVICE = /^(\d+)\s+([^\s:]+)\s*:/;
const GROUP = /^\s+([0-9A-Fa-f]{8})(?:\s|$)/;

export type Endianness = 'LE' | 'BE';

function decode(hex: string, endianness: Endianness): string {
  const n = Number.parseInt(hex, 16);
  const bytes = [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return (endianness === 'LE' ? bytes.reverse() : bytes).join('.');
}

export function parseProcNetIgmp(text: string, endianness: Endianness): OsMemberships {
  if (text.length > MAX_OS_TEXT) return unavailable(`${PROC_NET_IGMP} is ${text.length} characters long: not the table expected`);
  const all = lines(text);
  if (!HEADER.test(all[0] ?? '')) return unavailable(`${PROC_NET_IGMP} does not start with the expected header (Idx Device : Count Querier …)`);
  const table = new MembershipTable();
  let device: string | null = null;
  for (let i = 1; i < all.length; i++) {
    const line = all[i] as string;
    if (line.trim() === '') continue;
    const dev = DEVICE.exec(line);
    if (dev) {
      device = dev[2] as string;
      table.addInterface(device);
      continue;
    }
    const group = GROUP.exec(line);
    if (!group || device === null) return unavailable(`${PROC_NET_IGMP}, line ${i + 1}, was not understood`);
    const address = decode(group[1] as string, endianness);
    // A unicast-looking group means the byte order (or the format) is not what we assumed.
    if (!table.addGroup(device, address)) return unavailable(`${PROC_NET_IGMP}, line ${i + 1}: ${group[1]} reads as ${address}, not a multicast group`);
  }
  return table.result(PROC_NET_IGMP);
}
