import type { Check, ReadText, RunProgram } from './types.js';
import { reasonOf } from './types.js';

/** "eth0:1" is an address label of eth0: sysctl knows the device. */
const device = (name: string): string => name.split(':')[0] ?? name;

/** A sysctl file's value, or null where it cannot be read. */
async function readNumber(read: ReadText, path: string): Promise<number | null> {
  try {
    const value = Number.parseInt((await read(path)).trim(), 10);
    return Number.isNaN(value) ? null : value;
  } catch {
    return null;
  }
}

/**
 * Reverse-path filtering decides on the larger of conf/all and conf/<device> (kernel
 * ip-sysctl.rst). Strict (1) drops a datagram whose source this host would route out through
 * another interface: harmless with one network, a silent loss with two.
 */
export function rpFilterVerdict(all: number | null, perDevice: ReadonlyMap<string, number | null>): Check {
  const name = 'rp_filter';
  if (perDevice.size === 0) return { status: 'INFO', name, text: 'No LAN interface in use to check (loopback is not filtered).' };
  const effective = [...perDevice].map(([dev, value]) => ({ dev, value: value === null && all === null ? null : Math.max(all ?? 0, value ?? 0) }));
  if (effective.every((e) => e.value === null)) return { status: 'INFO', name, text: 'Could not read /proc/sys/net/ipv4/conf/*/rp_filter: not checked.' };
  const listed = effective.map((e) => `${e.dev} ${e.value === null ? '?' : e.value}`).join(', ');
  const strict = effective.filter((e) => e.value === 1).map((e) => e.dev);
  if (strict.length === 0) return { status: 'OK', name, text: `Off (0) or loose (2) on the interfaces in use (${listed}): it drops no multicast from senders on the LAN.` };
  if (effective.length > 1) {
    return { status: 'WARN', name, text: `Strict (1) on ${strict.join(', ')}: multicast from a sender this host would route through another interface is dropped; with two networks make it loose: sysctl -w net.ipv4.conf.all.rp_filter=2.` };
  }
  return { status: 'INFO', name, text: `Strict (1) on ${strict.join(', ')}: fine while senders are reached through it (one network); a sender routed another way would be dropped silently.` };
}

export async function rpFilterCheck(devices: readonly string[], read: ReadText): Promise<Check> {
  const base = '/proc/sys/net/ipv4/conf';
  const all = await readNumber(read, `${base}/all/rp_filter`);
  const perDevice = new Map<string, number | null>();
  for (const dev of new Set(devices.map(device))) perDevice.set(dev, await readNumber(read, `${base}/${dev}/rp_filter`));
  return rpFilterVerdict(all, perDevice);
}

interface NftSummary {
  readonly tables: readonly string[];
  /** Tables holding an input chain whose policy drops what no rule accepts. */
  readonly dropInput: readonly string[];
  /** Tables holding any drop or reject rule. */
  readonly dropping: readonly string[];
}

/** Just enough of `nft list ruleset` to say whether something may drop datagrams coming in. */
export function summarizeNftRuleset(text: string): NftSummary {
  const tables: string[] = [];
  const dropInput = new Set<string>();
  const dropping = new Set<string>();
  let table = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const opened = /^table\s+(\S+)\s+(\S+)/.exec(line);
    if (opened) {
      table = `${opened[1]} ${opened[2]}`;
      tables.push(table);
      continue;
    }
    if (/\bhook\s+input\b/.test(line) && /\bpolicy\s+drop\b/.test(line)) dropInput.add(table);
    else if (/(^|\s)(drop|reject)(\s|;|$)/.test(line) && !/^type\s/.test(line)) dropping.add(table);
  }
  return { tables, dropInput: [...dropInput], dropping: [...dropping] };
}

export function nftVerdict(ruleset: string, port: number): Check {
  const name = 'firewall (nftables)';
  const { tables, dropInput, dropping } = summarizeNftRuleset(ruleset);
  if (tables.length === 0) return { status: 'OK', name, text: 'No nftables rules (ufw, firewalld and iptables-nft would show up here): nothing filters the room.' };
  const listed = tables.join(', ');
  if (dropInput.length > 0) {
    return { status: 'WARN', name, text: `An input chain drops by default (${dropInput.join(', ')}): the room is heard only if a rule accepts UDP to port ${port}; may be fine if one does.` };
  }
  if (dropping.length > 0) return { status: 'INFO', name, text: `Drop or reject rules in ${dropping.join(', ')} (of ${listed}): may be fine; check that none matches UDP to port ${port}.` };
  return { status: 'OK', name, text: `Rules in ${listed}, none drops or rejects: may be fine.` };
}

/** Looks at the host firewall without changing anything (reading iptables could load kernel modules; the proc file does not). */
export async function firewallChecks(nft: string | null, run: RunProgram, read: ReadText, port: number): Promise<Check[]> {
  const checks: Check[] = [];
  if (nft === null) checks.push({ status: 'INFO', name: 'firewall (nftables)', text: 'nft not found: nftables rules not checked.' });
  else {
    try {
      checks.push(nftVerdict(await run(nft, ['list', 'ruleset']), port));
    } catch (error) {
      checks.push({ status: 'INFO', name: 'firewall (nftables)', text: `Could not read the rules (${reasonOf(error)}); as root mcchat doctor can. They may be fine.` });
    }
  }
  try {
    const legacy = (await read('/proc/net/ip_tables_names')).split('\n').map((l) => l.trim()).filter(Boolean);
    if (legacy.length > 0) {
      checks.push({ status: 'INFO', name: 'firewall (iptables)', text: `Legacy iptables tables are loaded (${legacy.join(', ')}): nft does not show their rules; iptables -S INPUT does. They may be fine.` });
    }
  } catch {
    // No legacy iptables module loaded: nothing to say.
  }
  return checks;
}
