import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deleteNamespace, isRunning, namespacesWithPrefix, ownerPidOf } from '../namespaces.js';
import { systemTool } from '../processes.js';
import { FRAME_MAGIC, PROTOCOL_VERSION } from '../../../shared/protocol/constants.js';

/**
 * The scale lab's network: one bridge inside a namespace of its own, and one namespace per peer
 * hanging off it by a veth, all on 198.19.0.0/24 (inside the 198.18.0.0/15 benchmarking block):
 *
 *   mcsl<pid>-p00  eth0 198.19.0.10 ─┐
 *   mcsl<pid>-p01  eth0 198.19.0.11 ─┼─ br0 198.19.0.1 (mcsl<pid>-br, no uplink, snooping off)
 *   …                                 │
 *   mcsl<pid>-p39  eth0 198.19.0.49 ─┘
 *
 * Both ends of every veth are born inside namespaces, so no interface ever exists on the host and
 * nothing is ever sent on the machine's own links. The prefix `mcsl` is this lab's alone: other
 * namespace tests (mcttl…) running at the same time never see these, and a later run deletes
 * only the namespaces of `mcsl` runs whose process is gone.
 *
 * Loss: an nftables table in each peer's namespace drops a random LOSS % of the UDP datagrams
 * that arrive on eth0 for the rooms' ports (numgen random, as loss-meter.test.ts does), and counts,
 * by frame type, what it saw and what it dropped.
 */

export const PREFIX = 'mcsl';
export const BRIDGE = 'br0';
export const BRIDGE_ADDRESS = '198.19.0.1';
const PEER_IFACE = 'eth0';
const SUBNET = 24;
const FIRST_HOST = 10;
const COMMAND_TIMEOUT_MS = 10_000;
const LOSS_TABLE = 'mcsl_loss';

const IP = systemTool('ip');
const NFT = systemTool('nft');
const TSHARK = systemTool('tshark');
/** Debian's python3 first: a version manager's shim (pyenv) takes ~0.8 s a start (as wire-watch.ts). */
export const PYTHON = (() => {
  try {
    readFileSync('/usr/bin/python3');
    return '/usr/bin/python3';
  } catch {
    return systemTool('python3');
  }
})();

const run = promisify(execFile);

export interface LabPeer {
  readonly index: number;
  readonly namespace: string;
  readonly address: string;
}

export interface LabNet {
  /** Prefix of every namespace of this network. */
  readonly name: string;
  readonly bridgeNamespace: string;
  readonly peers: readonly LabPeer[];
  /** Config folders (one key per peer) and the built CLI live here. */
  readonly workDir: string;
  readonly setupMs: number;
}

export type SupportCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function ok(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS }).status === 0;
}

/** Linux, root, `ip netns`, nft, tshark and python3 (the capture's marker datagrams): all, or a reason. */
export function checkScaleLabSupport(): SupportCheck {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces need Linux, this is ${process.platform}` };
  if (process.getuid?.() !== 0) return { ok: false, reason: `not running as root (uid ${process.getuid?.()})` };
  const probe = `${PREFIX}probe${process.pid}`;
  if (!ok(IP, ['netns', 'add', probe])) return { ok: false, reason: '`ip netns add` failed (iproute2 missing or no CAP_SYS_ADMIN)' };
  ok(IP, ['netns', 'del', probe]);
  if (!ok(NFT, ['--version'])) return { ok: false, reason: 'nft not found (apt-get install nftables)' };
  if (!ok(TSHARK, ['-v'])) return { ok: false, reason: 'tshark not found (apt-get install tshark)' };
  if (!ok(PYTHON, ['-c', 'pass'])) return { ok: false, reason: 'python3 not found' };
  return { ok: true };
}

function leftByDeadRun(name: string): boolean {
  const owner = ownerPidOf(PREFIX, name);
  return owner !== null && !isRunning(owner);
}

/** Deletes namespaces and work dirs of `mcsl` runs whose process is gone. */
export function removeLabLeftovers(): string[] {
  const namespaces = namespacesWithPrefix(PREFIX).filter(leftByDeadRun);
  for (const name of namespaces) deleteNamespace(name);
  const workDirs = readdirSync(tmpdir()).filter((name) => name.startsWith(PREFIX) && leftByDeadRun(name));
  for (const name of workDirs) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  return [...namespaces, ...workDirs.map((name) => join(tmpdir(), name))];
}

function ip(args: readonly string[]): void {
  try {
    execFileSync(IP, args, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`ip ${args.join(' ')} failed: ${stderr.trim() || (error as Error).message}`);
  }
}

/** `ip -n <namespace> -batch -`: one process for all of a namespace's commands. */
function ipBatch(namespace: string, lines: readonly string[]): void {
  try {
    execFileSync(IP, ['-n', namespace, '-batch', '-'], { input: `${lines.join('\n')}\n`, encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`ip -n ${namespace} -batch failed: ${stderr.trim() || (error as Error).message}\n${lines.join('\n')}`);
  }
}

/** The bridge namespace and `peerCount` peers on it; on failure removes what it made and rethrows. */
export function createLabNet(peerCount: number): LabNet {
  const started = performance.now();
  const name = `${PREFIX}${process.pid}`;
  const bridgeNamespace = `${name}-br`;
  const peers: LabPeer[] = Array.from({ length: peerCount }, (_, index) => ({
    index,
    namespace: `${name}-p${String(index).padStart(2, '0')}`,
    address: `198.19.0.${FIRST_HOST + index}`,
  }));
  const workDir = mkdtempSync(join(tmpdir(), `${name}-`));
  const made: string[] = [];
  try {
    for (const namespace of [bridgeNamespace, ...peers.map((p) => p.namespace)]) {
      ip(['netns', 'add', namespace]);
      made.push(namespace);
    }
    // No IGMP querier here: snooping off, so the bridge floods the group to every port.
    ipBatch(bridgeNamespace, [
      'link set lo up',
      `link add ${BRIDGE} type bridge mcast_snooping 0`,
      `addr add ${BRIDGE_ADDRESS}/${SUBNET} dev ${BRIDGE}`,
      `link set ${BRIDGE} up`,
      `route add 224.0.0.0/4 dev ${BRIDGE}`,
    ]);
    const leg = (peer: LabPeer): string => `p${String(peer.index).padStart(2, '0')}`;
    for (const peer of peers) {
      ipBatch(peer.namespace, [
        'link set lo up',
        // Both ends born inside namespaces: no name ever exists on the host.
        `link add ${PEER_IFACE} type veth peer name ${leg(peer)} netns ${bridgeNamespace}`,
        `addr add ${peer.address}/${SUBNET} dev ${PEER_IFACE}`,
        `link set ${PEER_IFACE} up`,
        `route add 224.0.0.0/4 dev ${PEER_IFACE}`,
      ]);
    }
    ipBatch(bridgeNamespace, peers.flatMap((peer) => [`link set ${leg(peer)} master ${BRIDGE}`, `link set ${leg(peer)} up`]));
    return { name, bridgeNamespace, peers, workDir, setupMs: performance.now() - started };
  } catch (error) {
    for (const namespace of made.reverse()) deleteNamespace(namespace);
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** Kills whatever still runs in the namespaces (only what this lab started there), deletes them. */
export function destroyLabNet(net: LabNet): void {
  for (const peer of net.peers) deleteNamespace(peer.namespace);
  deleteNamespace(net.bridgeNamespace);
  rmSync(net.workDir, { recursive: true, force: true });
}

/** Namespaces of this network that still exist: empty after a clean teardown. */
export function remainingNamespaces(net: LabNet): string[] {
  return namespacesWithPrefix(PREFIX).filter((name) => name.startsWith(`${net.name}-`));
}

/**
 * Frame types told apart by nftables at a fixed offset: the UDP payload starts `MCC2 {"t":"<type>"`
 * (docs/protocol.md, Framing: the encoder writes `t` first). The UDP header's 8 bytes plus the 5
 * of "MCC2 " put the `{` at bit 104 of the transport header. The marker follows the codec's
 * version, so a version with more digits moves the offset instead of silently matching nothing.
 */
const MARKER = `${FRAME_MAGIC}${PROTOCOL_VERSION} `;
const TYPE_OFFSET_BITS = (8 + MARKER.length) * 8;
const TYPES_COUNTED = ['chat', 'nack', 'hello', 'sync', 'hist'] as const;
export type CountedType = (typeof TYPES_COUNTED)[number];

function typeMatch(type: CountedType): string {
  const prefix = Buffer.from(`{"t":"${type}"`, 'utf8');
  return `@th,${TYPE_OFFSET_BITS},${prefix.length * 8} 0x${prefix.toString('hex')}`;
}

/**
 * Replaces the namespace's loss table: `percent` % random drops of the datagrams from the wire to
 * the rooms' ports `ports` (first, last), counted by type. Installed once; read as differences.
 */
export async function installLoss(namespace: string, ports: readonly [number, number], percent: number): Promise<void> {
  const counters = ['seen_all', 'lost_all', ...TYPES_COUNTED.flatMap((t) => [`seen_${t}`, `lost_${t}`])];
  const ruleset = [
    // Declaring, then deleting, then defining: a clean table whether or not one was there.
    `table inet ${LOSS_TABLE} {}`,
    `delete table inet ${LOSS_TABLE}`,
    `table inet ${LOSS_TABLE} {`,
    ...counters.map((c) => `  counter ${c} {}`),
    '  chain input {',
    '    type filter hook input priority 0; policy accept;',
    // Own datagrams looped back (lo) are not the network's to lose.
    `    iifname != "${PEER_IFACE}" accept`,
    `    udp dport != ${ports[0]}-${ports[1]} accept`,
    '    counter name "seen_all"',
    ...TYPES_COUNTED.map((t) => `    ${typeMatch(t)} counter name "seen_${t}"`),
    `    numgen random mod 100 < ${percent} jump lose`,
    '  }',
    '  chain lose {',
    '    counter name "lost_all"',
    ...TYPES_COUNTED.map((t) => `    ${typeMatch(t)} counter name "lost_${t}" drop`),
    '    drop',
    '  }',
    '}',
    '',
  ].join('\n');
  const child = execFile(IP, ['netns', 'exec', namespace, NFT, '-f', '-'], { timeout: COMMAND_TIMEOUT_MS });
  child.stdin?.end(ruleset);
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`nft in ${namespace} failed (${code}): ${stderr.trim()}`))));
  });
}

export interface LossCounters {
  readonly seen: Readonly<Record<CountedType | 'all', number>>;
  readonly lost: Readonly<Record<CountedType | 'all', number>>;
}

const nftCountersSchema = (json: unknown): Map<string, number> => {
  const result = new Map<string, number>();
  const items = (json as { nftables?: unknown[] }).nftables ?? [];
  for (const item of items) {
    const counter = (item as { counter?: { name?: unknown; packets?: unknown } }).counter;
    if (counter && typeof counter.name === 'string' && typeof counter.packets === 'number') result.set(counter.name, counter.packets);
  }
  return result;
};

/** What the namespace's loss table saw and dropped so far, by frame type. */
export async function lossCounters(namespace: string): Promise<LossCounters> {
  const { stdout } = await run(IP, ['netns', 'exec', namespace, NFT, '-j', 'list', 'counters', 'table', 'inet', LOSS_TABLE], { timeout: COMMAND_TIMEOUT_MS });
  const counts = nftCountersSchema(JSON.parse(stdout));
  const pick = (kind: 'seen' | 'lost'): Record<CountedType | 'all', number> =>
    Object.fromEntries(['all', ...TYPES_COUNTED].map((t) => [t, counts.get(`${kind}_${t}`) ?? 0])) as Record<CountedType | 'all', number>;
  return { seen: pick('seen'), lost: pick('lost') };
}

/** The kernel's UDP receive-buffer drops in the namespace of a running process (0 unless a socket overflowed). */
export function udpReceiveBufferErrors(pid: number): number | null {
  try {
    const lines = readFileSync(`/proc/${pid}/net/snmp`, 'utf8').split('\n').filter((line) => line.startsWith('Udp:'));
    const [names = '', values = ''] = lines;
    const at = names.split(/\s+/).indexOf('RcvbufErrors');
    return at < 0 ? null : Number(values.split(/\s+/)[at]);
  } catch {
    return null;
  }
}
