import { execFileSync, spawnSync } from 'node:child_process';
import { systemTool } from './processes.js';

/**
 * A multicast "router" for kernels built without IPv4 multicast routing (CONFIG_IP_MROUTE unset,
 * where smcrouted cannot start): nftables in the router namespace's netdev ingress hook forwards
 * the group from one leg to the other and does what a multicast router does to the TTL. One
 * rule per TTL value, because nftables cannot compute `ttl - 1`: a datagram arriving with TTL t
 * (t >= 2) leaves with t - 1; TTL 1 (and 0) matches no rule and stays on its subnet, as RFC 1112
 * routers do. `ip ttl set` makes nftables fix the IP header checksum too.
 */

export const NFT_TABLE = 'mcchat_router';
const NFT = systemTool('nft');
const COMMAND_TIMEOUT_MS = 10_000;

export interface NftLeg {
  /** The chain's name, and where its counters are read. */
  readonly chain: string;
  readonly from: string;
  readonly to: string;
}

/** The ruleset for `nft -f -`: a table of its own, one ingress chain per direction. */
export function nftRouterRuleset(group: string, legs: readonly NftLeg[]): string {
  const lines = [`table netdev ${NFT_TABLE} {`];
  for (const leg of legs) {
    lines.push(`  chain ${leg.chain} {`, `    type filter hook ingress device "${leg.from}" priority 0; policy accept;`);
    for (let ttl = 2; ttl <= 255; ttl++) lines.push(`    ip daddr ${group} ip ttl ${ttl} counter ip ttl set ${ttl - 1} fwd to "${leg.to}"`);
    lines.push('  }');
  }
  lines.push('}', '');
  return lines.join('\n');
}

/** nftables is installed and this kernel has its netdev family (ingress hook and `fwd`). */
export function nftAvailable(): boolean {
  return spawnSync(NFT, ['--version'], { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS }).status === 0;
}

/** Loads the rules into a namespace; throws nft's own message when the kernel refuses them. */
export function installNftRouter(namespace: string, group: string, legs: readonly NftLeg[]): void {
  try {
    execFileSync(systemTool('ip'), ['netns', 'exec', namespace, NFT, '-f', '-'], {
      input: nftRouterRuleset(group, legs),
      encoding: 'utf8',
      timeout: COMMAND_TIMEOUT_MS,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`nft could not load the router's rules in ${namespace}: ${stderr.trim().split('\n')[0] ?? (error as Error).message}`);
  }
}

/** Packets each chain forwarded, summed over its per-TTL rules, from `nft -j`. */
export function nftForwardedPackets(namespace: string, legs: readonly NftLeg[]): Map<string, number> {
  const json = execFileSync(systemTool('ip'), ['netns', 'exec', namespace, NFT, '-j', 'list', 'table', 'netdev', NFT_TABLE], {
    encoding: 'utf8',
    timeout: COMMAND_TIMEOUT_MS,
  });
  return countsByChain(json, legs);
}

interface NftJsonRule {
  readonly rule?: { readonly chain?: string; readonly expr?: readonly Record<string, unknown>[] };
}

/** Sums the `counter` statements of each leg's chain in nft's JSON listing. */
export function countsByChain(json: string, legs: readonly NftLeg[]): Map<string, number> {
  const counts = new Map(legs.map((leg) => [leg.chain, 0]));
  const listing = JSON.parse(json) as { nftables?: readonly NftJsonRule[] };
  for (const item of listing.nftables ?? []) {
    const chain = item.rule?.chain;
    if (chain === undefined || !counts.has(chain)) continue;
    for (const expr of item.rule?.expr ?? []) {
      const counter = expr['counter'] as { packets?: number } | undefined;
      if (counter?.packets !== undefined) counts.set(chain, (counts.get(chain) ?? 0) + counter.packets);
    }
  }
  return counts;
}
