import { z } from 'zod';
import type { RoomSnapshot } from './events.js';
import { isIPv4 } from './ipv4.js';
import { describeGroupMac } from './multicast-mac.js';

/**
 * What the operating system says it joined, per interface: read from /proc/net/igmp, `netstat -g`
 * or `netsh` (electron/core/os-memberships). Where it cannot tell, the reason says why.
 */
export type OsMemberships =
  | { readonly available: true; readonly source: string; readonly interfaces: readonly OsInterfaceGroups[] }
  | { readonly available: false; readonly reason: string };

export interface OsInterfaceGroups {
  readonly name: string;
  /** Dotted quads, in the order the OS listed them. */
  readonly groups: readonly string[];
}

const name = z.string().min(1).max(256);
const names = z.array(name).max(1024).readonly();

/** A room's group as the network sees it: the answer to `getGroupView`, checked before it leaves main. */
export const groupViewSchema = z.object({
  roomId: z.string().min(1).max(128),
  group: z.string().refine(isIPv4),
  mac: z.string().regex(/^01:00:5e(:[0-9a-f]{2}){3}$/),
  sharedWith: z.number().int().nonnegative(),
  examples: z.array(z.string().refine(isIPv4)).max(2).readonly(),
  linkLocal: z.boolean(),
  os: z.discriminatedUnion('available', [
    z.object({
      available: z.literal(true),
      source: z.string().min(1).max(100),
      /** Interfaces on which the OS holds this group. */
      holders: names,
      /** The room's interfaces on which it does not (yet): a join that failed, or one still under way. */
      missing: names,
    }),
    z.object({ available: z.literal(false), reason: z.string().min(1).max(500) }),
  ]),
});

export type GroupView = z.infer<typeof groupViewSchema>;

/** "eth0:1" is an address label of eth0: the OS lists the membership under the device. */
const device = (ifname: string): string => ifname.split(':')[0] ?? ifname;

/** Null when the room's group is not an IPv4 multicast group (it always is, once joined). */
export function buildGroupView(room: Pick<RoomSnapshot, 'roomId' | 'group' | 'interfaces'>, os: OsMemberships): GroupView | null {
  const mac = describeGroupMac(room.group);
  if (!mac) return null;
  const { group, ...facts } = mac;
  if (!os.available) return { roomId: room.roomId, group, ...facts, os };
  const holders = os.interfaces.filter((i) => i.groups.includes(group)).map((i) => i.name);
  const held = new Set(holders.map(device));
  const missing = [...new Set(room.interfaces.map((i) => i.name))].filter((ifname) => !held.has(device(ifname)));
  return { roomId: room.roomId, group, ...facts, os: { available: true, source: os.source, holders, missing } };
}

/**
 * The view as it may leave main: checked against the schema. Only the OS's part comes from
 * outside (interface names as the OS printed them), so a view that fails keeps its own facts and
 * says the memberships are not available.
 */
export function checkedGroupView(view: GroupView): GroupView {
  const checked = groupViewSchema.safeParse(view);
  if (checked.success) return checked.data;
  const where = checked.error.issues[0]?.path.join('.') ?? '';
  return groupViewSchema.parse({ ...view, os: { available: false, reason: `the system's answer did not pass the checks (${where})` } });
}
