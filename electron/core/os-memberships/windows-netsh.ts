import type { OsMemberships } from '../../../shared/group-view.js';
import { isIPv4 } from '../../../shared/ipv4.js';
import { lines, MAX_OS_TEXT, MembershipTable, quote, unavailable } from './parse-common.js';

export const NETSH_SOURCE = 'netsh interface ipv4 show joins';

/**
 * `netsh interface ipv4 show joins`: per interface a line "Interface 12: Wi-Fi", a column
 * heading ("Scope  References  Last  Address"), a line of dashes, then one row per group with the
 * address last. Windows translates the words ("Schnittstelle 12: WLAN", "Bereich …"), so only
 * the shapes are relied on: "<word> <index>: <name>", dashes, and a row ending in an IPv4 address.
 */
const INTERFACE = /^\s*\S+\s+\d+\s*:\s*(\S.*?)\s*$/;
const DASHES = /^[\s-]*-[\s-]*$/;

function isRow(line: string): string | null {
  const tokens = line.trim().split(/\s+/);
  const last = tokens[tokens.length - 1] ?? '';
  return tokens.length >= 2 && isIPv4(last) ? last : null;
}

export function parseNetshJoins(text: string): OsMemberships {
  if (text.length > MAX_OS_TEXT) return unavailable(`${NETSH_SOURCE} printed ${text.length} characters: not the table expected`);
  const all = lines(text);
  const table = new MembershipTable();
  let current: string | null = null;
  const nextNonBlank = (from: number): string => all.slice(from).find((line) => line.trim() !== '') ?? '';
  for (let i = 0; i < all.length; i++) {
    const line = all[i] as string;
    if (line.trim() === '' || DASHES.test(line)) continue;
    // Before rows: an interface's name may end in anything, a row never has a ':'.
    const iface = INTERFACE.exec(line);
    if (iface) {
      current = iface[1] as string;
      table.addInterface(current);
      continue;
    }
    const row = isRow(line);
    if (row !== null) {
      if (current === null || !table.addGroup(current, row)) return unavailable(`${NETSH_SOURCE}, line ${i + 1}, was not understood`);
      continue;
    }
    // The column heading: known by the dashes under it, whatever the language.
    if (current !== null && DASHES.test(nextNonBlank(i + 1))) continue;
    return unavailable(table.size === 0 ? `${NETSH_SOURCE} printed no interface ("${quote(line)}")` : `${NETSH_SOURCE}, line ${i + 1}, was not understood`);
  }
  if (table.size === 0) return unavailable(`${NETSH_SOURCE} printed nothing`);
  return table.result(NETSH_SOURCE);
}
