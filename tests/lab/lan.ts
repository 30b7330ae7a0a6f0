import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inNamespace, type Place } from '../netns/mcchat-driver.js';
import { deleteNamespace, isRunning, namespacesWithPrefix, ownerPidOf } from '../netns/namespaces.js';
import { systemTool } from '../netns/processes.js';

/**
 * A flat throw-away LAN made of Linux network namespaces (needs root):
 *
 *   a 198.18.10.11 ── p-a ─┐
 *   b 198.18.10.12 ── p-b ─┼─ br0 198.18.10.254  (switch namespace, IGMP snooping off)
 *   c 198.18.10.13 ── p-c ─┘
 *
 * Every host is its own namespace with one veth `lan0` whose peer is a port of the bridge in the
 * switch namespace. Snooping is off, so the bridge floods every multicast frame to every port
 * (and up to the switch's own stack, where a relay can run). Every interface is born inside a
 * namespace made here; nothing on the machine's own links is touched. Names carry the PID of
 * the process that made them, so a killed run's leftovers are recognised and removed later.
 */

export const LAB_PREFIX = 'mclab';
export const LAB_SUBNET = '198.18.10';
export const LAB_PREFIX_LENGTH = 24;
export const SWITCH_ADDRESS = `${LAB_SUBNET}.254`;
export const HOST_IFACE = 'lan0';
export const SWITCH_IFACE = 'br0';
export const MULTICAST_RANGE = '224.0.0.0/4';
/** Where the lab hands out addresses: hosts are .11, .12, ...; an address change moves to +100. */
const FIRST_HOST_OCTET = 11;

const COMMAND_TIMEOUT_MS = 5_000;
const IP = systemTool('ip');
const NFT = systemTool('nft');

/** A machine of the lab: one namespace, one interface. `address` follows changeAddress(). */
export interface LabHost {
  readonly name: string;
  readonly namespace: string;
  readonly iface: string;
  /** Current IPv4 address of `iface`; updated by Lan.changeAddress. */
  address: string;
  /** Name of the bridge port this host is plugged into (inside the switch namespace). */
  readonly switchPort: string | null;
  /** A private directory for this host's files (history, logs); removed on destroy. */
  readonly dataDir: string;
  /** Wraps an argv so it runs inside this host's namespace. */
  readonly place: Place;
}

export interface LanOptions {
  /** Host count (named a, b, c, ...) or explicit names (lowercase, at most 8 characters). Default 3. */
  readonly hosts?: number | readonly string[];
}

export interface Lan {
  /** Prefix of every namespace of this LAN, unique per process and call. */
  readonly name: string;
  readonly hosts: readonly LabHost[];
  /** The switch namespace as a host: br0 with SWITCH_ADDRESS, e.g. for a relay in the middle. */
  readonly switch: LabHost;
  readonly workDir: string;
  readonly setupMs: number;
  host(name: string): LabHost;
  /** Runs a command inside a namespace of this LAN and returns its stdout; throws with stderr. */
  exec(host: LabHost, argv: readonly string[], input?: string): string;
  /** `ip link set lan0 down` in the host: its routes go with it; ifUp brings them back. */
  ifDown(host: LabHost): void;
  /** `ip link set lan0 up`, then restores the multicast route the kernel flushed on down. */
  ifUp(host: LabHost): void;
  /** Takes the host's switch port down: the host sees NO-CARRIER, its addresses stay. */
  unplug(host: LabHost): void;
  plug(host: LabHost): void;
  /** Replaces lan0's address (default: last octet + 100; old one removed first), restores the multicast route; returns the new address. */
  changeAddress(host: LabHost, address?: string): string;
  /** What the kernel says about the host's interface now: for asserting that a control took effect. */
  linkInfo(host: LabHost): LinkInfo;
  /** Namespaces of this LAN that still exist: empty after destroy(). */
  existingNamespaces(): string[];
  /** Kills what still runs in the namespaces, deletes them and the work dir. Idempotent. */
  destroy(): Promise<void>;
}

export interface LinkInfo {
  /** Administratively up (flag UP). */
  readonly up: boolean;
  /** Carrier present (flag LOWER_UP): false when the switch port is unplugged. */
  readonly carrier: boolean;
  readonly operstate: string;
  readonly addresses: readonly string[];
  /** The 224.0.0.0/4 route via this interface is present. */
  readonly multicastRoute: boolean;
}

export type SupportCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

let lansMadeByThisProcess = 0;
const liveLans = new Set<Lan>();
let exitHookInstalled = false;

function run(command: string, args: readonly string[], input?: string): string {
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      timeout: COMMAND_TIMEOUT_MS,
      input,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || (error as Error).message}`);
  }
}

function ip(args: readonly string[]): string {
  return run(IP, args);
}

function ipIn(namespace: string, args: readonly string[]): string {
  return ip(['-n', namespace, ...args]);
}

function succeeds(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS }).status === 0;
}

/** Root, `ip netns` and nftables (with numgen, for loss) inside a namespace: all, or a reason. */
export function checkLabSupport(): SupportCheck {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces need Linux, this is ${process.platform}` };
  if (process.getuid?.() !== 0) return { ok: false, reason: `not running as root (uid ${process.getuid?.()})` };
  if (!succeeds(NFT, ['--version'])) return { ok: false, reason: 'nft not found (apt-get install -y nftables)' };
  const probe = `${LAB_PREFIX}probe${process.pid}`;
  if (!succeeds(IP, ['netns', 'add', probe])) return { ok: false, reason: '`ip netns add` failed (iproute2 missing or no CAP_SYS_ADMIN)' };
  try {
    const ruleset = 'table inet probe {\n chain in {\n  type filter hook input priority 0;\n  udp dport 9 numgen random mod 100 < 10 counter drop\n }\n}\n';
    const result = spawnSync(IP, ['netns', 'exec', probe, NFT, '-f', '-'], { input: ruleset, encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
    if (result.status !== 0) return { ok: false, reason: `nftables does not work in a namespace: ${(result.stderr ?? '').trim()}` };
    return { ok: true };
  } finally {
    succeeds(IP, ['netns', 'del', probe]);
  }
}

const labNamespaces = (): string[] => namespacesWithPrefix(LAB_PREFIX);

function leftByDeadRun(name: string): boolean {
  const owner = ownerPidOf(LAB_PREFIX, name);
  return owner !== null && owner !== process.pid && !isRunning(owner);
}

/** Deletes lab namespaces and work dirs left by runs whose process is gone; returns what it removed. */
export function removeLabLeftovers(): string[] {
  const namespaces = labNamespaces().filter(leftByDeadRun);
  for (const name of namespaces) deleteNamespace(name);
  const workDirs = readdirSync(tmpdir()).filter((name) => name.startsWith(LAB_PREFIX) && leftByDeadRun(name));
  for (const name of workDirs) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  return [...namespaces, ...workDirs.map((name) => join(tmpdir(), name))];
}

function hostNames(option: LanOptions['hosts']): string[] {
  const names = typeof option === 'object' ? [...option] : Array.from({ length: option ?? 3 }, (_, i) => String.fromCharCode(97 + i));
  if (names.length < 1 || names.length > 20) throw new Error(`a lab LAN has 1 to 20 hosts, not ${names.length}`);
  for (const name of names) {
    // The switch port is "p-<name>": interface names have at most 15 characters.
    if (!/^[a-z][a-z0-9]{0,7}$/.test(name) || name === 'sw') throw new Error(`bad lab host name ${JSON.stringify(name)}`);
  }
  if (new Set(names).size !== names.length) throw new Error(`duplicate lab host names: ${names.join(', ')}`);
  return names;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort if a test forgot destroy() or threw before it: everything here is synchronous.
  process.once('exit', () => {
    for (const lan of liveLans) {
      for (const host of [...lan.hosts, lan.switch]) deleteNamespace(host.namespace);
      rmSync(lan.workDir, { recursive: true, force: true });
    }
  });
}

function addMulticastRoute(namespace: string, iface: string): void {
  ipIn(namespace, ['route', 'replace', MULTICAST_RANGE, 'dev', iface]);
}

/** Builds the LAN; on any failure removes what it made and rethrows. */
export function createLan(options: LanOptions = {}): Lan {
  const started = performance.now();
  const names = hostNames(options.hosts);
  const base = `${LAB_PREFIX}${process.pid}x${++lansMadeByThisProcess}`;
  const workDir = mkdtempSync(join(tmpdir(), `${base}-`));
  const made: string[] = [];
  const switchNamespace = `${base}-sw`;
  const exec = (host: LabHost, argv: readonly string[], input?: string): string => run(IP, ['netns', 'exec', host.namespace, ...argv], input);
  try {
    made.push(switchNamespace);
    ip(['netns', 'add', switchNamespace]);
    ipIn(switchNamespace, ['link', 'set', 'lo', 'up']);
    // Snooping off: without an IGMP querier a snooping bridge may stop flooding a group.
    ipIn(switchNamespace, ['link', 'add', SWITCH_IFACE, 'type', 'bridge', 'mcast_snooping', '0']);
    ipIn(switchNamespace, ['addr', 'add', `${SWITCH_ADDRESS}/${LAB_PREFIX_LENGTH}`, 'dev', SWITCH_IFACE]);
    ipIn(switchNamespace, ['link', 'set', SWITCH_IFACE, 'up']);
    addMulticastRoute(switchNamespace, SWITCH_IFACE);
    const switchDir = join(workDir, 'sw');
    mkdirSync(switchDir);
    const switchHost: LabHost = {
      name: 'sw',
      namespace: switchNamespace,
      iface: SWITCH_IFACE,
      address: SWITCH_ADDRESS,
      switchPort: null,
      dataDir: switchDir,
      place: inNamespace(switchNamespace, 'switch'),
    };

    const hosts = names.map((name, index): LabHost => {
      const namespace = `${base}-${name}`;
      const port = `p-${name}`;
      const address = `${LAB_SUBNET}.${FIRST_HOST_OCTET + index}`;
      made.push(namespace);
      ip(['netns', 'add', namespace]);
      ipIn(namespace, ['link', 'set', 'lo', 'up']);
      // Both veth ends are born inside their namespaces, so no name ever exists on the machine itself.
      ipIn(namespace, ['link', 'add', HOST_IFACE, 'type', 'veth', 'peer', 'name', port, 'netns', switchNamespace]);
      ipIn(switchNamespace, ['link', 'set', port, 'master', SWITCH_IFACE]);
      ipIn(switchNamespace, ['link', 'set', port, 'up']);
      ipIn(namespace, ['addr', 'add', `${address}/${LAB_PREFIX_LENGTH}`, 'dev', HOST_IFACE]);
      ipIn(namespace, ['link', 'set', HOST_IFACE, 'up']);
      addMulticastRoute(namespace, HOST_IFACE);
      const dataDir = join(workDir, name);
      mkdirSync(dataDir);
      return { name, namespace, iface: HOST_IFACE, address, switchPort: port, dataDir, place: inNamespace(namespace, `host ${name}`) };
    });

    let destroyed = false;
    const lan: Lan = {
      name: base,
      hosts,
      switch: switchHost,
      workDir,
      setupMs: performance.now() - started,
      host(name) {
        const found = hosts.find((h) => h.name === name);
        if (!found) throw new Error(`no lab host ${name} (hosts: ${names.join(', ')})`);
        return found;
      },
      exec,
      ifDown(host) {
        ipIn(host.namespace, ['link', 'set', host.iface, 'down']);
      },
      ifUp(host) {
        ipIn(host.namespace, ['link', 'set', host.iface, 'up']);
        addMulticastRoute(host.namespace, host.iface);
      },
      unplug(host) {
        if (!host.switchPort) throw new Error(`${host.name} has no switch port`);
        ipIn(switchNamespace, ['link', 'set', host.switchPort, 'down']);
      },
      plug(host) {
        if (!host.switchPort) throw new Error(`${host.name} has no switch port`);
        ipIn(switchNamespace, ['link', 'set', host.switchPort, 'up']);
      },
      changeAddress(host, next) {
        const old = host.address;
        const octets = old.split('.').map(Number);
        const address = next ?? `${LAB_SUBNET}.${((octets[3] ?? 0) + 100) % 254}`;
        if (!address.startsWith(`${LAB_SUBNET}.`)) throw new Error(`lab addresses stay in ${LAB_SUBNET}.0/24, not ${address}`);
        // Old one first: with both in one subnet the new one would be a secondary, and deleting
        // the primary takes its secondaries with it (promote_secondaries is off by default).
        ipIn(host.namespace, ['addr', 'del', `${old}/${LAB_PREFIX_LENGTH}`, 'dev', host.iface]);
        ipIn(host.namespace, ['addr', 'add', `${address}/${LAB_PREFIX_LENGTH}`, 'dev', host.iface]);
        addMulticastRoute(host.namespace, host.iface);
        host.address = address;
        return address;
      },
      linkInfo(host) {
        const [link] = JSON.parse(ipIn(host.namespace, ['-j', 'addr', 'show', 'dev', host.iface])) as {
          flags?: string[];
          operstate?: string;
          addr_info?: { family?: string; local?: string }[];
        }[];
        const routes = JSON.parse(ipIn(host.namespace, ['-j', 'route', 'show', 'dev', host.iface])) as { dst?: string }[];
        return {
          up: link?.flags?.includes('UP') ?? false,
          carrier: link?.flags?.includes('LOWER_UP') ?? false,
          operstate: link?.operstate ?? 'UNKNOWN',
          addresses: (link?.addr_info ?? []).filter((a) => a.family === 'inet' && a.local).map((a) => a.local ?? ''),
          multicastRoute: routes.some((r) => r.dst === MULTICAST_RANGE),
        };
      },
      existingNamespaces: () => labNamespaces().filter((name) => name.startsWith(`${base}-`)),
      destroy() {
        if (!destroyed) {
          destroyed = true;
          for (const host of hosts) deleteNamespace(host.namespace);
          deleteNamespace(switchNamespace);
          rmSync(workDir, { recursive: true, force: true });
          liveLans.delete(lan);
        }
        return Promise.resolve();
      },
    };
    liveLans.add(lan);
    installExitHook();
    return lan;
  } catch (error) {
    for (const namespace of made.reverse()) deleteNamespace(namespace);
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}
