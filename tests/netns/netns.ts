import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteNamespace, isRunning, namespacesWithPrefix, ownerPidOf } from './namespaces.js';
import { installNftRouter, nftAvailable, nftForwardedPackets, type NftLeg } from './nft-router.js';
import { startProcess, systemTool } from './processes.js';

/**
 * A throw-away routed multicast network made of Linux network namespaces (needs root):
 *
 *   a1 198.18.1.2 ─┐
 *                  ├─ br-a 198.18.1.1 ═ router ═ vb1 198.18.2.1 ── b1 198.18.2.2
 *   a2 198.18.1.3 ─┘
 *
 * Subnet A is a bridge inside the router namespace, so a1 and a2 share one link; subnet B is a
 * single veth. The router forwards 239.255.42.99 between the two legs and never forwards a
 * datagram whose TTL would reach 0, which is the scoping the tests check. Two ways to be that
 * router: smcrouted on the kernel's multicast routing where the kernel has it
 * (CONFIG_IP_MROUTE), else nftables rules in the netdev ingress hook (nft-router.ts).
 * MCCHAT_NETNS_ROUTER=smcroute|nftables picks one. Every interface lives inside a namespace
 * created here; nothing touches the host's own links.
 */

export const NAMESPACE_PREFIX = 'mcttl';
export const ROUTED_GROUP = '239.255.42.99';

export type HostName = 'a1' | 'a2' | 'b1';

export interface Host {
  readonly name: HostName;
  readonly namespace: string;
  readonly address: string;
}

export interface Topology {
  /** Prefix of every namespace of this topology, unique per process and call. */
  readonly name: string;
  readonly router: string;
  readonly hosts: Readonly<Record<HostName, Host>>;
  readonly forwarder: MulticastForwarder;
  /** Wall time of createTopology, the forwarder's start included. */
  readonly setupMs: number;
  /** smcrouted's config, socket and PID file. */
  readonly workDir: string;
}

export type RouterKind = 'smcroute' | 'nftables';

/** What forwards the group between the router's legs. */
export interface MulticastForwarder {
  readonly kind: RouterKind;
  /** Milliseconds from starting it to forwarding. */
  readonly readyMs: number;
  /** Datagrams of the group it forwarded into each subnet so far. */
  forwarded(): { readonly intoA: number; readonly intoB: number };
  /** Its own view of its routes, for the log. */
  describe(): string;
  stop(): Promise<void>;
}

export type SupportCheck = { readonly ok: true; readonly router: RouterKind } | { readonly ok: false; readonly reason: string };

interface HostPlan {
  readonly name: HostName;
  readonly address: string;
  readonly gateway: string;
  /** The router-side end of the host's veth. */
  readonly routerPort: string;
  /** Subnet A hosts hang off the router's bridge; B has the veth as its leg. */
  readonly bridged: boolean;
}

const ROUTER_LEG_A = 'br-a';
const ROUTER_LEG_B = 'vb1';
const HOST_IFACE = 'eth0';
const SUBNET_PREFIX_LENGTH = 24;
const COMMAND_TIMEOUT_MS = 5_000;
const SMCROUTED_READY_TIMEOUT_MS = 5_000;

const HOST_PLANS: readonly HostPlan[] = [
  { name: 'a1', address: '198.18.1.2', gateway: '198.18.1.1', routerPort: 'va1', bridged: true },
  { name: 'a2', address: '198.18.1.3', gateway: '198.18.1.1', routerPort: 'va2', bridged: true },
  { name: 'b1', address: '198.18.2.2', gateway: '198.18.2.1', routerPort: ROUTER_LEG_B, bridged: false },
];

const ROUTER_ADDRESSES: readonly { readonly iface: string; readonly address: string }[] = [
  { iface: ROUTER_LEG_A, address: '198.18.1.1' },
  { iface: ROUTER_LEG_B, address: '198.18.2.1' },
];

const IP = systemTool('ip');
const SMCROUTED = systemTool('smcrouted');
const SMCROUTECTL = systemTool('smcroutectl');
const SYSCTL = systemTool('sysctl');

let topologiesMadeByThisProcess = 0;

function ip(args: readonly string[]): string {
  try {
    return execFileSync(IP, args, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`ip ${args.join(' ')} failed: ${stderr.trim() || (error as Error).message}`);
  }
}

function ipInNamespace(namespace: string, args: readonly string[]): string {
  return ip(['-n', namespace, ...args]);
}

function execInNamespace(namespace: string, command: readonly string[]): string {
  return ip(['netns', 'exec', namespace, ...command]);
}

function commandSucceeds(command: string, args: readonly string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS });
  return result.status === 0;
}

/**
 * Root, working `ip netns`, and a way to route the group: smcrouted where the kernel has
 * multicast routing, else nftables. All, or a reason.
 */
export function checkNetnsSupport(env: NodeJS.ProcessEnv = process.env): SupportCheck {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces need Linux, this is ${process.platform}` };
  if (process.getuid?.() !== 0) return { ok: false, reason: `not running as root (uid ${process.getuid?.()})` };
  const wanted = env['MCCHAT_NETNS_ROUTER'] || undefined;
  if (wanted !== undefined && wanted !== 'smcroute' && wanted !== 'nftables') return { ok: false, reason: `MCCHAT_NETNS_ROUTER=${wanted}: use smcroute or nftables` };
  const probe = `${NAMESPACE_PREFIX}probe${process.pid}`;
  if (!commandSucceeds(IP, ['netns', 'add', probe])) return { ok: false, reason: '`ip netns add` failed (iproute2 missing or no CAP_SYS_ADMIN)' };
  const hasMroute = commandSucceeds(IP, ['netns', 'exec', probe, systemTool('test'), '-e', '/proc/net/ip_mr_vif']);
  commandSucceeds(IP, ['netns', 'del', probe]);
  const hasSmcroute = commandSucceeds(SMCROUTED, ['-v']) && commandSucceeds(SMCROUTECTL, ['-v']);
  const smcrouteUsable = hasMroute && hasSmcroute;
  if (wanted === 'smcroute' && !smcrouteUsable) {
    return { ok: false, reason: hasMroute ? 'smcrouted not found (apt-get install smcroute)' : 'MCCHAT_NETNS_ROUTER=smcroute, but the kernel has no IPv4 multicast routing (CONFIG_IP_MROUTE)' };
  }
  if (wanted !== 'nftables' && smcrouteUsable) return { ok: true, router: 'smcroute' };
  if (!nftAvailable()) {
    return { ok: false, reason: `${hasMroute ? 'smcrouted' : 'IPv4 multicast routing (CONFIG_IP_MROUTE)'} missing and nft not found to route with nftables instead (apt-get install nftables)` };
  }
  return { ok: true, router: 'nftables' };
}


function leftByDeadRun(name: string): boolean {
  const owner = ownerPidOf(NAMESPACE_PREFIX, name);
  return owner !== null && !isRunning(owner);
}

/** Deletes namespaces and work dirs of this prefix left by runs whose process is gone. */
export function removeLeftovers(): string[] {
  const namespaces = namespacesWithPrefix(NAMESPACE_PREFIX).filter(leftByDeadRun);
  for (const name of namespaces) deleteNamespace(name);
  const workDirs = readdirSync(tmpdir()).filter((name) => name.startsWith(NAMESPACE_PREFIX) && leftByDeadRun(name));
  for (const name of workDirs) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  return [...namespaces, ...workDirs.map((name) => join(tmpdir(), name))];
}

function createRouter(router: string): void {
  ip(['netns', 'add', router]);
  ipInNamespace(router, ['link', 'set', 'lo', 'up']);
  // Snooping off: without an IGMP querier the bridge could otherwise stop flooding the group.
  ipInNamespace(router, ['link', 'add', ROUTER_LEG_A, 'type', 'bridge', 'mcast_snooping', '0']);
  ipInNamespace(router, ['link', 'set', ROUTER_LEG_A, 'up']);
  execInNamespace(router, [SYSCTL, '-qw', 'net.ipv4.ip_forward=1']);
}

function createHost(plan: HostPlan, namespace: string, router: string): Host {
  ip(['netns', 'add', namespace]);
  ipInNamespace(namespace, ['link', 'set', 'lo', 'up']);
  // Both veth ends are born inside their namespaces, so no name ever exists on the host.
  ipInNamespace(namespace, ['link', 'add', HOST_IFACE, 'type', 'veth', 'peer', 'name', plan.routerPort, 'netns', router]);
  if (plan.bridged) ipInNamespace(router, ['link', 'set', plan.routerPort, 'master', ROUTER_LEG_A]);
  ipInNamespace(router, ['link', 'set', plan.routerPort, 'up']);
  ipInNamespace(namespace, ['addr', 'add', `${plan.address}/${SUBNET_PREFIX_LENGTH}`, 'dev', HOST_IFACE]);
  ipInNamespace(namespace, ['link', 'set', HOST_IFACE, 'up']);
  ipInNamespace(namespace, ['route', 'add', 'default', 'via', plan.gateway]);
  ipInNamespace(namespace, ['route', 'add', '224.0.0.0/4', 'dev', HOST_IFACE]);
  return { name: plan.name, namespace, address: plan.address };
}

function addRouterAddresses(router: string): void {
  for (const leg of ROUTER_ADDRESSES) ipInNamespace(router, ['addr', 'add', `${leg.address}/${SUBNET_PREFIX_LENGTH}`, 'dev', leg.iface]);
}

function smcrouteConfig(): string {
  return [
    `phyint ${ROUTER_LEG_A} enable`,
    `phyint ${ROUTER_LEG_B} enable`,
    `mroute from ${ROUTER_LEG_A} group ${ROUTED_GROUP} to ${ROUTER_LEG_B}`,
    `mroute from ${ROUTER_LEG_B} group ${ROUTED_GROUP} to ${ROUTER_LEG_A}`,
    '',
  ].join('\n');
}

async function startSmcroute(router: string, workDir: string): Promise<MulticastForwarder> {
  const started = performance.now();
  const configFile = join(workDir, 'smcroute.conf');
  writeFileSync(configFile, smcrouteConfig());
  const socket = join(workDir, 'smcroute.sock');
  // -n foreground, -N only the phyints the config enables, own socket and PID file.
  const args = ['netns', 'exec', router, SMCROUTED, '-n', '-N', '-l', 'debug', '-f', configFile, '-u', socket, '-P', join(workDir, 'smcroute.pid')];
  const daemon = startProcess(IP, args, { label: `smcrouted in ${router}` });
  const isReady = (line: string): boolean => line.includes('Ready, waiting for client request');
  await Promise.any([daemon.waitForLine('stderr', isReady, SMCROUTED_READY_TIMEOUT_MS), daemon.waitForLine('stdout', isReady, SMCROUTED_READY_TIMEOUT_MS)]).catch(async (error: AggregateError) => {
    await daemon.stop();
    throw new Error(`smcrouted did not become ready: ${String(error.errors[0])}`);
  });
  const counters = (): MulticastVifCounters[] => multicastVifCounters(daemon.pid);
  return {
    kind: 'smcroute',
    readyMs: performance.now() - started,
    forwarded: () => {
      const table = counters();
      return { intoA: table.find((c) => c.iface === ROUTER_LEG_A)?.packetsOut ?? 0, intoB: table.find((c) => c.iface === ROUTER_LEG_B)?.packetsOut ?? 0 };
    },
    describe: () => `smcroute routes:\n${execInNamespace(router, [SMCROUTECTL, '-p', '-u', socket, 'show', 'routes'])}`,
    stop: () => daemon.stop(),
  };
}

interface MulticastVifCounters {
  readonly iface: string;
  readonly packetsOut: number;
}

/** Per-interface packet counters of the kernel's multicast forwarding in smcrouted's namespace. */
function multicastVifCounters(pid: number): MulticastVifCounters[] {
  // /proc/<pid>/net shows the network namespace of that process: the router's.
  const table = readFileSync(`/proc/${pid}/net/ip_mr_vif`, 'utf8');
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 6 && /^\d+$/.test(fields[0] ?? ''))
    .map((fields) => ({ iface: fields[1] ?? '', packetsOut: Number(fields[5]) }));
}

const NFT_LEGS: readonly NftLeg[] = [
  { chain: 'a_to_b', from: ROUTER_LEG_A, to: ROUTER_LEG_B },
  { chain: 'b_to_a', from: ROUTER_LEG_B, to: ROUTER_LEG_A },
];

function startNftRouter(router: string): MulticastForwarder {
  const started = performance.now();
  installNftRouter(router, ROUTED_GROUP, NFT_LEGS);
  const readyMs = performance.now() - started;
  return {
    kind: 'nftables',
    readyMs,
    forwarded: () => {
      const counts = nftForwardedPackets(router, NFT_LEGS);
      return { intoA: counts.get('b_to_a') ?? 0, intoB: counts.get('a_to_b') ?? 0 };
    },
    describe: () => `nftables netdev ingress rules ${NFT_LEGS.map((leg) => `${leg.from} -> ${leg.to}`).join(', ')} for ${ROUTED_GROUP}, TTL 2..255 forwarded as TTL-1`,
    // The rules go with the namespace.
    stop: () => Promise.resolve(),
  };
}

/** Builds the network and starts its router; on any failure, removes what it made and rethrows. */
export async function createTopology(routerKind: RouterKind): Promise<Topology> {
  const started = performance.now();
  const base = `${NAMESPACE_PREFIX}${process.pid}x${++topologiesMadeByThisProcess}`;
  const router = `${base}-r`;
  const made: string[] = [];
  const workDir = mkdtempSync(join(tmpdir(), `${base}-`));
  try {
    made.push(router);
    createRouter(router);
    const hosts = {} as Record<HostName, Host>;
    for (const plan of HOST_PLANS) {
      const namespace = `${base}-${plan.name}`;
      made.push(namespace);
      hosts[plan.name] = createHost(plan, namespace, router);
    }
    addRouterAddresses(router);
    const forwarder = routerKind === 'smcroute' ? await startSmcroute(router, workDir) : startNftRouter(router);
    return { name: base, router, hosts, forwarder, setupMs: performance.now() - started, workDir };
  } catch (error) {
    for (const namespace of made.reverse()) deleteNamespace(namespace);
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** Stops the router, kills whatever else still runs in the namespaces, deletes them. */
export async function destroyTopology(topology: Topology): Promise<void> {
  await topology.forwarder.stop();
  for (const host of Object.values(topology.hosts)) deleteNamespace(host.namespace);
  deleteNamespace(topology.router);
  rmSync(topology.workDir, { recursive: true, force: true });
}

/** Namespaces of this prefix that still exist: empty after a clean teardown. */
export function existingNamespaces(topology: Topology): string[] {
  return namespacesWithPrefix(NAMESPACE_PREFIX).filter((name) => name.startsWith(`${topology.name}-`));
}
