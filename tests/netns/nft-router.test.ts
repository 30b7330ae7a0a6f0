import { describe, expect, it } from 'vitest';
import { countsByChain, nftRouterRuleset, NFT_TABLE } from './nft-router.js';

const LEGS = [
  { chain: 'a_to_b', from: 'br-a', to: 'vb1' },
  { chain: 'b_to_a', from: 'vb1', to: 'br-a' },
];

describe('the nftables stand-in for a multicast router', () => {
  const ruleset = nftRouterRuleset('239.255.42.99', LEGS);
  const rules = ruleset.split('\n').filter((line) => line.includes('fwd to'));

  it('forwards TTL 2..255 as TTL-1 in each direction, and never TTL 0 or 1', () => {
    expect(rules).toHaveLength(2 * 254);
    expect(rules).toContain('    ip daddr 239.255.42.99 ip ttl 2 counter ip ttl set 1 fwd to "vb1"');
    expect(rules).toContain('    ip daddr 239.255.42.99 ip ttl 255 counter ip ttl set 254 fwd to "br-a"');
    expect(rules.some((rule) => / ip ttl [01] counter/.test(rule))).toBe(false);
    expect(ruleset).toContain(`table netdev ${NFT_TABLE} {`);
    expect(ruleset).toContain('type filter hook ingress device "br-a" priority 0; policy accept;');
  });

  it('sums the packet counters of each chain from nft -j', () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: { json_schema_version: 1 } },
        { chain: { name: 'a_to_b' } },
        { rule: { chain: 'a_to_b', expr: [{ match: {} }, { counter: { packets: 2, bytes: 600 } }] } },
        { rule: { chain: 'a_to_b', expr: [{ counter: { packets: 1, bytes: 300 } }] } },
        { rule: { chain: 'b_to_a', expr: [{ counter: { packets: 0, bytes: 0 } }] } },
        { rule: { chain: 'other', expr: [{ counter: { packets: 9, bytes: 9 } }] } },
      ],
    });
    expect(Object.fromEntries(countsByChain(json, LEGS))).toEqual({ a_to_b: 3, b_to_a: 0 });
  });
});
