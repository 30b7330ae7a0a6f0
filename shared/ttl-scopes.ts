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
