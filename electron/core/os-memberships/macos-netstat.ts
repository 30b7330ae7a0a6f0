import type { OsMemberships } from '../../../shared/group-view.js';
import { lines, MAX_OS_TEXT, MembershipTable, quote, unavailable } from './parse-common.js';

export const NETSTAT_SOURCE = 'netstat -g -n';

/**
 * `netstat -g -n` on macOS (network_cmds, netstat.tproj/mcast.c, ifmalist_dump): three tables,
 * "Link-layer", "IPv4" and "IPv6 Multicast Group Memberships", each with a heading line
 * "Group  Link-layer Address  Netif" and rows printed as "%-20s\t%-16s\t%s". Only the IPv4 table
 * is read; a row without an interface name (the kernel gave none) is skipped.
 */
const TITLE = /^IPv4 Multicast Group Memberships\s*$/;
const ANY_TITLE = /Multicast Group Memberships\s*$/;
const HEADING = /^Group\s+Link-layer Address\s+Netif\s*$/;

export function parseNetstatGroups(text: string): OsMemberships {
  if (text.length > MAX_OS_TEXT) return unavailable(`${NETSTAT_SOURCE} printed ${text.length} characters: not the table expected`);
  const all = lines(text);
  const start = all.findIndex((line) => TITLE.test(line));
  if (start === -1) {
    const first = all.find((line) => line.trim() !== '');
    return unavailable(first === undefined ? `${NETSTAT_SOURCE} printed nothing` : `${NETSTAT_SOURCE} printed no IPv4 membership table ("${quote(first)}")`);
  }
  if (!HEADING.test(all[start + 1] ?? '')) return unavailable(`${NETSTAT_SOURCE}, line ${start + 2}, is not the table's heading`);
  const table = new MembershipTable();
  for (let i = start + 2; i < all.length; i++) {
    const line = all[i] as string;
    if (line.trim() === '' || ANY_TITLE.test(line)) break;
    const [group, , netif, ...extra] = line.trim().split(/\s+/);
    if (netif === undefined) continue;
    if (extra.length > 0 || group === undefined || !table.addGroup(netif, group)) return unavailable(`${NETSTAT_SOURCE}, line ${i + 1}, was not understood`);
  }
  return table.result(NETSTAT_SOURCE);
}
