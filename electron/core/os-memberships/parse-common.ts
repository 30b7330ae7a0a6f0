import type { OsInterfaceGroups, OsMemberships } from '../../../shared/group-view.js';
import { isMulticastIPv4 } from '../../../shared/ipv4.js';

/** Far more than any real table (a few KiB): past this the text is not what we think it is. */
export const MAX_OS_TEXT = 4 * 1024 * 1024;

export function unavailable(reason: string): OsMemberships {
  return { available: false, reason };
}

/** A line of OS output quoted in a reason: short, and without control characters. */
export function quote(line: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

/** Collects groups per interface in the order the OS listed them; an interface named twice is one. */
export class MembershipTable {
  private readonly byName = new Map<string, string[]>();

  addInterface(name: string): void {
    if (!this.byName.has(name)) this.byName.set(name, []);
  }

  /** False when `group` is not a multicast group: the caller's parse went wrong. */
  addGroup(name: string, group: string): boolean {
    if (!isMulticastIPv4(group)) return false;
    this.addInterface(name);
    const groups = this.byName.get(name) as string[];
    if (!groups.includes(group)) groups.push(group);
    return true;
  }

  get size(): number {
    return this.byName.size;
  }

  result(source: string): OsMemberships {
    const interfaces: OsInterfaceGroups[] = [...this.byName].map(([name, groups]) => ({ name, groups }));
    return { available: true, source, interfaces };
  }
}

export const lines = (text: string): string[] => text.split(/\r?\n/);
