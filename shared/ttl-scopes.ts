import { isLinkLocalMulticast } from './ipv4.js';

/** The TTL scope convention from the lecture notes, shown by the picker and the CLI. */
export interface TtlScope {
  readonly ttl: number;
  readonly name: string;
  readonly meaning: string;
}

export const TTL_SCOPES: readonly TtlScope[] = [
  { ttl: 0, name: 'host', meaning: 'Restricted to this host: never transmitted on any interface.' },
  { ttl: 1, name: 'subnet', meaning: 'Restricted to this subnet: no router forwards it.' },
  { ttl: 32, name: 'site', meaning: 'Restricted to the same site, organization or department.' },
  { ttl: 64, name: 'region', meaning: 'Restricted to the same region.' },
  { ttl: 128, name: 'continent', meaning: 'Restricted to the same continent.' },
  { ttl: 255, name: 'global', meaning: 'Global: unrestricted.' },
];

/** What a TTL value means for a group, in one sentence a student can read. */
export function describeTtl(ttl: number, group?: string): string {
  const exact = TTL_SCOPES.find((s) => s.ttl === ttl);
  let text: string;
  if (exact) {
    text = `TTL ${ttl} (${exact.name}): ${exact.meaning}`;
  } else {
    const below = [...TTL_SCOPES].reverse().find((s) => s.ttl < ttl);
    text = `TTL ${ttl}: crosses at most ${ttl - 1} router${ttl - 1 === 1 ? '' : 's'}, wider than ${below?.name ?? 'host'} scope.`;
  }
  if (group?.startsWith('224.0.0.') && ttl > 1) {
    text += ' But 224.0.0.x is link-local: routers never forward it, whatever the TTL.';
  }
  return text;
}

/** The lecture's name for a TTL, or "custom" between the table's values: the word on badges and in --json. */
export function ttlScopeName(ttl: number): string {
  return TTL_SCOPES.find((s) => s.ttl === ttl)?.name ?? 'custom';
}

/** A message's badge: "TTL 32 · site", so a class reads the scope without the table. */
export function ttlBadgeText(ttl: number): string {
  return `TTL ${ttl} · ${ttlScopeName(ttl)}`;
}

/** How far a TTL lets the next messages go, counted in routers as the lecture does. */
function reach(ttl: number): string {
  if (ttl === 0) return 'new messages never leave this computer';
  if (ttl === 1) return 'new messages stay on this subnet: no router forwards them';
  const routers = ttl - 1;
  return `new messages reach up to ${routers} router${routers === 1 ? '' : 's'} away`;
}

/** The log's line after the room's TTL changed: "TTL changed to 32 (site): new messages reach up to 31 routers away." */
export function ttlChangedText(ttl: number, group?: string): string {
  let text = `TTL changed to ${ttl} (${ttlScopeName(ttl)}): ${reach(ttl)}.`;
  if (group !== undefined && isLinkLocalMulticast(group) && ttl > 1) text += ' But 224.0.0.x is link-local: routers never forward it, whatever the TTL.';
  return text;
}
