import { DEFAULT_PORT } from '../../shared/protocol/constants.js';
import { systemTool } from '../netns/processes.js';
import type { Lan, LabHost } from './lan.js';

/**
 * Inbound impairments of one lab host, made with nftables inside that host's namespace (the
 * kernel here has no netem). Every rule carries a counter, so a test can say what the
 * impairment actually did, not just what it was asked to do.
 *
 * The host's table `inet mclab` has one input chain; it is re-rendered as a whole on every
 * change, in one nft transaction, carrying over the counters of rules that stay. Order in the
 * chain: for each impairment, a "seen" rule (counts what reached it) then its drop rule.
 * Looped-back copies of the host's own multicast also pass the input hook, so they count too.
 */

const NFT = systemTool('nft');
const TABLE = 'mclab';
const CHAIN = 'input';

/** What a rule applies to. Inbound UDP only. */
export interface UdpMatch {
  /** Destination UDP port: a number, or 'any' for all UDP. Default: the room port 4242. */
  readonly port?: number | 'any';
  /** Only datagrams from this IPv4 source address. */
  readonly from?: string;
  /** Only datagrams to this destination (a group such as 239.255.42.99, or a prefix such as 224.0.0.0/4). */
  readonly to?: string;
}

export interface LossOptions extends UdpMatch {
  /** Name of this impairment, to set several at once; default "loss". setLoss with a used name replaces it. */
  readonly name?: string;
}

export interface RuleCounters {
  readonly name: string;
  /** Datagrams that reached the rule (matched its UdpMatch). */
  readonly seen: number;
  /** Datagrams it dropped. */
  readonly dropped: number;
  /** The probability it was set to, in percent (100 for block). */
  readonly percent: number;
  /** dropped / seen; NaN when nothing was seen. */
  readonly measuredRate: number;
}

interface Rule {
  readonly name: string;
  readonly match: UdpMatch;
  /** 1..100; 100 drops all (a block). */
  readonly percent: number;
}

interface HostState {
  rules: Rule[];
}

const states = new WeakMap<LabHost, HostState>();

function stateOf(host: LabHost): HostState {
  let state = states.get(host);
  if (!state) {
    state = { rules: [] };
    states.set(host, state);
  }
  return state;
}

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
const IPV4_OR_PREFIX = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;

function matchExpression(match: UdpMatch): string {
  const parts: string[] = [];
  if (match.from !== undefined) {
    if (!IPV4_OR_PREFIX.test(match.from)) throw new Error(`bad source address ${match.from}`);
    parts.push(`ip saddr ${match.from}`);
  }
  if (match.to !== undefined) {
    if (!IPV4_OR_PREFIX.test(match.to)) throw new Error(`bad destination ${match.to}`);
    parts.push(`ip daddr ${match.to}`);
  }
  const port = match.port ?? DEFAULT_PORT;
  if (port === 'any') parts.push('meta l4proto udp');
  else {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad port ${port}`);
    parts.push(`udp dport ${port}`);
  }
  return parts.join(' ');
}

function describeMatch(match: UdpMatch): string {
  return matchExpression(match);
}

interface CounterValue {
  readonly packets: number;
  readonly bytes: number;
}

/** Current counters by rule comment ("<name>:seen", "<name>:drop"); empty when there is no table. */
function readCounters(lan: Lan, host: LabHost): Map<string, CounterValue> {
  const values = new Map<string, CounterValue>();
  let json: string;
  try {
    json = lan.exec(host, [NFT, '-j', 'list', 'table', 'inet', TABLE]);
  } catch {
    return values;
  }
  const parsed = JSON.parse(json) as { nftables?: Array<{ rule?: { comment?: string; expr?: Array<Record<string, unknown>> } }> };
  for (const item of parsed.nftables ?? []) {
    const rule = item.rule;
    if (!rule?.comment || !rule.expr) continue;
    const counter = rule.expr.find((e) => 'counter' in e)?.['counter'] as CounterValue | undefined;
    if (counter) values.set(rule.comment, { packets: counter.packets, bytes: counter.bytes });
  }
  return values;
}

function render(rules: readonly Rule[], carried: Map<string, CounterValue>): string {
  const counter = (comment: string): string => {
    const value = carried.get(comment);
    return value ? `counter packets ${value.packets} bytes ${value.bytes}` : 'counter';
  };
  const lines = [
    // add+delete first: removes an old table whether or not there is one, in the same transaction.
    `add table inet ${TABLE}`,
    `delete table inet ${TABLE}`,
    `table inet ${TABLE} {`,
    `  chain ${CHAIN} {`,
    `    type filter hook input priority -10; policy accept;`,
  ];
  for (const rule of rules) {
    const match = matchExpression(rule.match);
    lines.push(`    ${match} ${counter(`${rule.name}:seen`)} comment "${rule.name}:seen"`);
    const drop = rule.percent >= 100 ? '' : `numgen random mod 100 < ${rule.percent} `;
    lines.push(`    ${match} ${drop}${counter(`${rule.name}:drop`)} drop comment "${rule.name}:drop"`);
  }
  lines.push('  }', '}', '');
  return lines.join('\n');
}

function apply(lan: Lan, host: LabHost, rules: Rule[], keep: (rule: Rule) => boolean): void {
  const before = readCounters(lan, host);
  const carried = new Map<string, CounterValue>();
  for (const rule of rules) {
    if (!keep(rule)) continue;
    for (const suffix of [':seen', ':drop']) {
      const value = before.get(`${rule.name}${suffix}`);
      if (value) carried.set(`${rule.name}${suffix}`, value);
    }
  }
  if (rules.length === 0) {
    lan.exec(host, [NFT, '-f', '-'], `add table inet ${TABLE}\ndelete table inet ${TABLE}\n`);
  } else {
    lan.exec(host, [NFT, '-f', '-'], render(rules, carried));
  }
  stateOf(host).rules = rules;
}

function setRule(lan: Lan, host: LabHost, rule: Rule): void {
  if (!NAME.test(rule.name)) throw new Error(`bad impairment name ${JSON.stringify(rule.name)}`);
  const current = stateOf(host).rules;
  const next = current.some((r) => r.name === rule.name) ? current.map((r) => (r.name === rule.name ? rule : r)) : [...current, rule];
  // A replaced rule starts counting from zero; the others keep their counts.
  apply(lan, host, next, (r) => r !== rule);
}

/**
 * Drops `percent` % of the inbound UDP datagrams that match (default: everything to the room
 * port 4242, so presence and chat alike; pass `port: 'any'` to include traffic on other ports).
 * 0 removes the impairment.
 */
export function setLoss(lan: Lan, host: LabHost, percent: number, options: LossOptions = {}): void {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new Error(`loss must be 0..100 %, not ${percent}`);
  const name = options.name ?? 'loss';
  if (percent === 0) {
    removeImpairment(lan, host, name);
    return;
  }
  setRule(lan, host, { name, match: { port: options.port, from: options.from, to: options.to }, percent: Math.round(percent) });
}

/** Drops every matching inbound datagram (e.g. the direct path from a sender that a relay replaces). */
export function block(lan: Lan, host: LabHost, match: UdpMatch, name = 'block'): void {
  setRule(lan, host, { name, match, percent: 100 });
}

export function removeImpairment(lan: Lan, host: LabHost, name: string): void {
  const current = stateOf(host).rules;
  if (!current.some((r) => r.name === name)) return;
  apply(
    lan,
    host,
    current.filter((r) => r.name !== name),
    () => true,
  );
}

/** Removes every impairment of the host (and its counters). */
export function clear(lan: Lan, host: LabHost): void {
  apply(lan, host, [], () => true);
}

/** What every impairment of the host did so far. */
export function measure(lan: Lan, host: LabHost): RuleCounters[] {
  const values = readCounters(lan, host);
  return stateOf(host).rules.map((rule) => {
    const seen = values.get(`${rule.name}:seen`)?.packets ?? 0;
    const dropped = values.get(`${rule.name}:drop`)?.packets ?? 0;
    return { name: rule.name, seen, dropped, percent: rule.percent, measuredRate: seen === 0 ? Number.NaN : dropped / seen };
  });
}

/** One impairment's counters; throws if the host has none of that name. */
export function measureOne(lan: Lan, host: LabHost, name = 'loss'): RuleCounters {
  const found = measure(lan, host).find((r) => r.name === name);
  if (!found) throw new Error(`host ${host.name} has no impairment ${name}`);
  return found;
}

/** The host's ruleset as nft prints it, with a readable summary first: for logs and failure messages. */
export function describeImpairments(lan: Lan, host: LabHost): string {
  const rules = stateOf(host).rules;
  const summary = rules.map((r) => `${r.name}: ${r.percent}% of ${describeMatch(r.match)}`).join('; ') || 'none';
  let listing = '';
  try {
    listing = lan.exec(host, [NFT, 'list', 'table', 'inet', TABLE]);
  } catch {
    listing = '(no table)';
  }
  return `impairments of ${host.name}: ${summary}\n${listing}`;
}

/** The kernel's UDP counters of a host (its namespace's /proc/net/snmp): drops nobody asked for. */
export interface KernelUdpCounters {
  readonly InDatagrams: number;
  readonly NoPorts: number;
  readonly InErrors: number;
  readonly OutDatagrams: number;
  /** Datagrams dropped because a socket's receive buffer was full: a reader too slow for a flood. */
  readonly RcvbufErrors: number;
  readonly SndbufErrors: number;
  readonly [name: string]: number;
}

export function kernelUdpCounters(lan: Lan, host: LabHost): KernelUdpCounters {
  const lines = lan
    .exec(host, [systemTool('cat'), '/proc/net/snmp'])
    .split('\n')
    .filter((line) => line.startsWith('Udp:'));
  const names = (lines[0] ?? '').split(/\s+/).slice(1);
  const values = (lines[1] ?? '').split(/\s+/).slice(1).map(Number);
  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? 0])) as KernelUdpCounters;
}
