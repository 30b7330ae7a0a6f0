import { autoSelectInterfaces, isVirtualInterfaceName, loopbackInterface, type NetInterface } from '../../core/interfaces.js';
import type { Check } from './types.js';

/** One IPv4 address of this machine and whether a room would join on it. */
export interface InterfaceVerdict {
  readonly name: string;
  readonly address: string;
  readonly use: boolean;
  /** Why it is used or skipped, in words a student can act on. */
  readonly reason: string;
}

/**
 * Why the core's automatic choice (autoSelectInterfaces) leaves an interface out. The order is
 * the filter's: the first reason that applies is the one to fix.
 */
function skipReason(i: NetInterface): string | null {
  if (i.internal) return i.address.startsWith('127.') ? 'loopback: reaches only this computer (pin it with --iface 127.0.0.1 for a demo on one machine)' : 'internal to this computer';
  if (i.up === false) return 'down';
  if (i.multicast === false) return 'its link has no multicast flag';
  if (isVirtualInterfaceName(i.name)) return 'a virtual adapter by its name (containers, VMs, VPNs); pin it with --iface if it really is your LAN';
  return null;
}

/**
 * What a room would join on, as the core decides it (chat-core.ts chooseInterfaces): the pinned
 * address alone; else every LAN interface; else loopback, with a warning. `problem` says when
 * that choice fails or is a fallback.
 */
export function planInterfaces(all: readonly NetInterface[], pinned: string | undefined): { verdicts: InterfaceVerdict[]; problem: Check | null } {
  if (pinned !== undefined) {
    const found = all.find((i) => i.address === pinned);
    const verdicts = all.map((i) => ({ name: i.name, address: i.address, use: i === found, reason: i === found ? 'pinned with --iface' : 'not the pinned interface' }));
    const problem: Check | null = found ? null : { status: 'WARN', name: 'interface', text: `No interface of this machine has the address ${pinned}: a room with it cannot start.` };
    return { verdicts, problem };
  }
  const auto = new Set(autoSelectInterfaces(all));
  const fallback = auto.size === 0 ? loopbackInterface(all) : undefined;
  const verdicts = all.map((i) => {
    if (auto.has(i)) return { name: i.name, address: i.address, use: true, reason: `up${i.multicast === true ? ', multicast' : ''}, a LAN adapter` };
    if (i === fallback) return { name: i.name, address: i.address, use: true, reason: 'loopback, because no LAN interface is usable: only programs on this computer hear the room' };
    return { name: i.name, address: i.address, use: false, reason: skipReason(i) ?? 'not chosen' };
  });
  let problem: Check | null = null;
  if (fallback) problem = { status: 'WARN', name: 'interface', text: 'No LAN interface is up with multicast: rooms fall back to loopback and reach only this computer.' };
  else if (auto.size === 0) problem = { status: 'WARN', name: 'interface', text: 'This machine has no interface that can carry multicast: a room cannot start.' };
  return { verdicts, problem };
}
