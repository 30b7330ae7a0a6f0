import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LOSS_TIMING, type LossTiming } from '../../electron/core/reliability/loss-detector.js';
import type { ChatMessage, PeerInfo, RoomCounters, RoomSnapshot } from '../../shared/events.js';
import { REPO_ROOT, startListener, type Listener } from '../netns/mcchat-driver.js';
import { pollUntil, sleep, startProcess, type RunningProcess } from '../netns/processes.js';
import type { Sent, Shown } from './analysis.js';
import { block, measureOne, removeImpairment, type RuleCounters } from './impair.js';
import type { Lan, LabHost } from './lan.js';

/**
 * Runs the lab's scripts (collect.ts, bulk-send.ts, relay.ts) and the mcchat CLI inside lab
 * hosts, and reads back the JSON lines they print. Processes are started with startProcess,
 * each the leader of its own process group, so stopAllProcesses() in afterAll ends them all;
 * signals go to that group by its PID only.
 */

export const LAB_DIR = fileURLToPath(new URL('.', import.meta.url));
const READY_TIMEOUT_MS = 15_000;
const FINAL_LINE_TIMEOUT_MS = 3_000;
const SNAPSHOT_TIMEOUT_MS = 3_000;

/** argv that runs one of the lab's TypeScript scripts: one node process (tsx as a loader), so signals reach it directly. */
export function labScript(script: string, args: readonly string[]): string[] {
  return [process.execPath, '--import', 'tsx', join(LAB_DIR, script), ...args];
}

/** Starts any command inside a lab host's namespace (from the repository root). */
export function startInHost(host: LabHost, argv: readonly string[], label: string): RunningProcess {
  const [command = '', ...rest] = host.place.wrap(argv);
  return startProcess(command, rest, { label, cwd: REPO_ROOT });
}

/** One stdout line of a lab script. */
export interface JsonLine {
  readonly type: string;
  readonly at?: number;
  readonly [key: string]: unknown;
}

export interface LabProcess {
  readonly host: LabHost;
  readonly process: RunningProcess;
  /** Every stdout line so far, parsed; a line that is not JSON becomes {type: 'unparsed', text}. */
  lines(): readonly JsonLine[];
  linesOfType(type: string): JsonLine[];
  waitForLine(matches: (line: JsonLine) => boolean, timeoutMs: number, what: string): Promise<JsonLine>;
  /** Sends a signal to the process group this lab started. */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL, as a crash: no final line, no goodbye. Resolves once it is gone. */
  kill(): Promise<void>;
  report(): string;
}

function attach(host: LabHost, proc: RunningProcess): LabProcess {
  const parsed: JsonLine[] = [];
  const lines = (): readonly JsonLine[] => {
    const raw = proc.stdoutLines;
    while (parsed.length < raw.length) {
      const text = raw[parsed.length] ?? '';
      try {
        const value: unknown = JSON.parse(text);
        parsed.push(value && typeof value === 'object' && typeof (value as JsonLine).type === 'string' ? (value as JsonLine) : { type: 'unparsed', text });
      } catch {
        parsed.push({ type: 'unparsed', text });
      }
    }
    return parsed;
  };
  const signal = (sig: NodeJS.Signals): void => {
    if (proc.pid <= 0 || proc.exitStatus()) return;
    try {
      process.kill(-proc.pid, sig);
    } catch {
      // Already gone.
    }
  };
  return {
    host,
    process: proc,
    lines,
    linesOfType: (type) => lines().filter((line) => line.type === type),
    waitForLine: (matches, timeoutMs, what) =>
      pollUntil(
        () => lines().find(matches),
        timeoutMs,
        () => `${proc.label}: waiting for ${what}\n${proc.report()}`,
        () => (proc.exitStatus() && !lines().some(matches) ? `exited (${JSON.stringify(proc.exitStatus())})` : undefined),
      ),
    signal,
    kill: async () => {
      signal('SIGKILL');
      await proc.waitForExit(5_000);
      await proc.stop();
    },
    report: () => proc.report(),
  };
}

/** Waits (briefly) for a line that a process printed just before it exited: stdout may trail the exit event. */
async function lineAfterExit(lab: LabProcess, type: string, after: number): Promise<JsonLine | null> {
  const deadline = Date.now() + 500;
  for (;;) {
    const found = lab.lines().slice(after).find((line) => line.type === type);
    if (found || Date.now() > deadline) return found ?? null;
    await sleep(20);
  }
}

/** SIGTERM, then the line of `type` it prints on the way out (null if it printed none), then the group is gone. */
async function stopWithFinalLine(lab: LabProcess, type: string): Promise<JsonLine | null> {
  const before = lab.lines().length;
  lab.signal('SIGTERM');
  await lab.process.waitForExit(FINAL_LINE_TIMEOUT_MS).catch(() => undefined);
  const line = await lineAfterExit(lab, type, before);
  await lab.process.stop();
  return line;
}

// ---------------------------------------------------------------- peers (collect.ts, bulk-send.ts)

/**
 * coreOptions for a receiver that never asks for repair: every gap is given up at the first
 * look, without a NACK. For measuring what the network alone delivers.
 */
export const NO_REPAIR: Readonly<Record<string, unknown>> = { lossTiming: { ...DEFAULT_LOSS_TIMING, maxTries: 0 } satisfies LossTiming };

export interface PeerStartOptions {
  /**
   * Default: pinned to the host's current address (read at start, so a restart after
   * changeAddress uses the new one). null: not pinned, the core picks lan0 itself and follows
   * an address change (a pinned room cannot: its address is gone).
   */
  readonly iface?: string | null;
  readonly group?: string;
  readonly port?: number;
  readonly ttl?: number;
  readonly nick?: string;
  /** Keep one identity (so one peer id) across restarts: 64 hex of Ed25519 seed. */
  readonly identitySeed?: string;
  readonly presenceIntervalMs?: number;
  readonly presenceTimeoutMs?: number;
  /** Merged into createChatCore's options: for options the core gains later (a data dir, repair settings). */
  readonly coreOptions?: Record<string, unknown>;
  /** Merged into joinRoom's config. */
  readonly roomOptions?: Record<string, unknown>;
  /** Also record the peer's own messages (message.own true). */
  readonly printOwn?: boolean;
  /** Label of the process in logs and failure messages. */
  readonly processLabel?: string;
}

export interface PeerState {
  readonly counters: RoomCounters | null;
  readonly peers: readonly PeerInfo[];
  readonly rooms: readonly RoomSnapshot[];
  readonly [key: string]: unknown;
}

export interface LabPeer extends LabProcess {
  readonly peerId: string;
  readonly ready: JsonLine;
  /** Messages the core emitted, in order (other peers' only, unless printOwn). */
  messages(): ChatMessage[];
  /** Messages from one sender, in the order shown. */
  messagesFrom(peerId: string): ChatMessage[];
  /** Resolves once at least `n` messages (that pass `filter`) were shown. */
  waitForMessages(n: number, timeoutMs: number, filter?: (message: ChatMessage) => boolean): Promise<ChatMessage[]>;
  /** Resolves once no new message came for `quietMs` (after at least `minMessages`), with the count. */
  waitForQuiet(quietMs: number, timeoutMs: number, minMessages?: number): Promise<number>;
  /** Counters, peers and rooms now (SIGUSR2). */
  snapshot(): Promise<PeerState>;
  /** SIGTERM: the final counters (null if it printed none), then it leaves the room and exits. */
  stop(): Promise<PeerState | null>;
  /** The options it was started with: start another with them to "restart" it. */
  readonly options: PeerStartOptions;
}

function peerArgs(host: LabHost, options: PeerStartOptions): string[] {
  const args: string[] = options.iface === null ? [] : [`--iface=${options.iface ?? host.address}`];
  if (options.group !== undefined) args.push(`--group=${options.group}`);
  if (options.port !== undefined) args.push(`--port=${options.port}`);
  if (options.ttl !== undefined) args.push(`--ttl=${options.ttl}`);
  if (options.nick !== undefined) args.push(`--nick=${options.nick}`);
  if (options.identitySeed !== undefined) args.push(`--identity-seed=${options.identitySeed}`);
  if (options.presenceIntervalMs !== undefined) args.push(`--presence-interval-ms=${options.presenceIntervalMs}`);
  if (options.presenceTimeoutMs !== undefined) args.push(`--presence-timeout-ms=${options.presenceTimeoutMs}`);
  if (options.coreOptions !== undefined) args.push(`--core-options=${JSON.stringify(options.coreOptions)}`);
  if (options.roomOptions !== undefined) args.push(`--room-options=${JSON.stringify(options.roomOptions)}`);
  if (options.printOwn) args.push('--print-own');
  return args;
}

async function startPeer(host: LabHost, script: string, args: string[], options: PeerStartOptions, defaultLabel: string): Promise<LabPeer> {
  const proc = startInHost(host, labScript(script, args), options.processLabel ?? defaultLabel);
  const lab = attach(host, proc);
  const ready = await lab.waitForLine((line) => line.type === 'ready' || line.type === 'join-failed', READY_TIMEOUT_MS, 'ready');
  if (ready.type !== 'ready') {
    await proc.stop();
    throw new Error(`${proc.label} could not join: ${String(ready['message'])}\n${proc.report()}`);
  }

  const messages: ChatMessage[] = [];
  let scanned = 0;
  const collect = (): ChatMessage[] => {
    const all = lab.lines();
    for (; scanned < all.length; scanned++) {
      const line = all[scanned];
      if (line?.type === 'message') messages.push(line['message'] as ChatMessage);
    }
    return messages;
  };

  const peer: LabPeer = {
    ...lab,
    peerId: String(ready['peerId']),
    ready,
    options,
    messages: () => [...collect()],
    messagesFrom: (peerId) => collect().filter((m) => m.peerId === peerId),
    waitForMessages: (n, timeoutMs, filter = () => true) =>
      pollUntil(
        () => {
          const matching = collect().filter(filter);
          return matching.length >= n ? matching : undefined;
        },
        timeoutMs,
        () => `${proc.label}: waiting for ${n} messages (have ${collect().filter(filter).length})\n${proc.report()}`,
        () => (proc.exitStatus() ? 'exited' : undefined),
      ),
    waitForQuiet: async (quietMs, timeoutMs, minMessages = 0) => {
      const deadline = Date.now() + timeoutMs;
      let last = collect().length;
      let since = Date.now();
      for (;;) {
        await sleep(20);
        const now = collect().length;
        if (now !== last) {
          last = now;
          since = Date.now();
        } else if (now >= minMessages && Date.now() - since >= quietMs) return now;
        if (Date.now() > deadline) throw new Error(`${proc.label}: not quiet within ${timeoutMs} ms (${now} messages)\n${proc.report()}`);
      }
    },
    snapshot: async () => {
      const before = lab.lines().length;
      lab.signal('SIGUSR2');
      const line = await pollUntil(
        () => lab.lines().slice(before).find((l) => l.type === 'snapshot'),
        SNAPSHOT_TIMEOUT_MS,
        () => `${proc.label}: waiting for a snapshot\n${proc.report()}`,
        () => (proc.exitStatus() ? 'exited' : undefined),
      );
      return line as unknown as PeerState;
    },
    stop: async () => {
      const line = await stopWithFinalLine(lab, 'final');
      collect();
      return line as unknown as PeerState | null;
    },
  };
  return peer;
}

export interface CollectorOptions extends PeerStartOptions {
  /** Store the room's history in this folder (the core's openHistory with openRoomHistory). */
  readonly historyDir?: string;
  /** With historyDir: print a `history-page` line (ids of the newest N stored messages) right after joining. */
  readonly printHistory?: number;
}

/** A listening peer (collect.ts) on `host`; resolves once it has joined. */
export function startCollector(host: LabHost, options: CollectorOptions = {}): Promise<LabPeer> {
  const args = peerArgs(host, options);
  if (options.historyDir !== undefined) args.push(`--history=${options.historyDir}`);
  if (options.printHistory !== undefined) args.push(`--print-history=${options.printHistory}`);
  return startPeer(host, 'collect.ts', args, options, `collector on ${host.name}`);
}

export interface BulkSendOptions extends PeerStartOptions {
  readonly count: number;
  /** Messages per second; 0 (default): as fast as the socket takes them. */
  readonly rate?: number;
  /** Text prefix: message i is "<textLabel> <i>". Default: the nick. */
  readonly textLabel?: string;
  /** Pad each text with dots to this many bytes. */
  readonly size?: number;
  /** Wait until this many other peers were heard before sending. */
  readonly waitPeers?: number;
  readonly waitPeersTimeoutMs?: number;
  /** Start sending at this wall-clock time (ms since epoch): lines up several senders. */
  readonly startAt?: number;
  /** Stay in the room this long after the last send; -1 until stop(). Default 0. */
  readonly lingerMs?: number;
  /** Also record other peers' messages (a sender that also receives). */
  readonly collect?: boolean;
  /** A `sent` line every N messages; default 1 (every message, which sent() needs). */
  readonly progressEvery?: number;
}

export interface SentLine extends Sent {
  readonly ts: number;
  readonly bytes: number;
}

export interface DoneLine {
  readonly sent: number;
  readonly sendErrors: number;
  readonly firstError: string | null;
  readonly durationMs: number;
  readonly ratePerSecond: number | null;
  readonly counters: RoomCounters;
}

export interface BulkSender extends LabPeer {
  /** One record per message handed to the OS so far. */
  sent(): SentLine[];
  waitForDone(timeoutMs: number): Promise<DoneLine>;
}

/** A sending peer (bulk-send.ts) on `host`; resolves once it has joined (sending starts by itself). */
export async function startBulkSender(host: LabHost, options: BulkSendOptions): Promise<BulkSender> {
  const args = [...peerArgs(host, options), `--count=${options.count}`];
  if (options.rate !== undefined) args.push(`--rate=${options.rate}`);
  if (options.textLabel !== undefined) args.push(`--label=${options.textLabel}`);
  if (options.size !== undefined) args.push(`--size=${options.size}`);
  if (options.waitPeers !== undefined) args.push(`--wait-peers=${options.waitPeers}`);
  if (options.waitPeersTimeoutMs !== undefined) args.push(`--wait-peers-timeout-ms=${options.waitPeersTimeoutMs}`);
  if (options.startAt !== undefined) args.push(`--start-at=${Math.round(options.startAt)}`);
  if (options.lingerMs !== undefined) args.push(`--linger-ms=${options.lingerMs}`);
  if (options.collect) args.push('--collect');
  if (options.progressEvery !== undefined) args.push(`--progress-every=${options.progressEvery}`);
  const peer = await startPeer(host, 'bulk-send.ts', args, options, `bulk sender on ${host.name}`);
  return {
    ...peer,
    sent: () => peer.linesOfType('sent') as unknown as SentLine[],
    waitForDone: async (timeoutMs) => (await peer.waitForLine((line) => line.type === 'done', timeoutMs, 'done')) as unknown as DoneLine,
  };
}

/** What shown messages look like to the checks in analysis.ts. */
export function asShown(messages: readonly ChatMessage[]): Shown[] {
  return messages.map((m) => ({ id: m.id, peerId: m.peerId, seq: m.seq, text: m.text, ...(m.order !== undefined ? { order: m.order } : {}) }));
}

// ---------------------------------------------------------------- relay (relay.ts)

export interface RelayOptions {
  /** Default: the host's address (the switch's 198.18.10.254 when it runs in lan.switch). */
  readonly iface?: string;
  readonly group?: string;
  readonly port?: number;
  readonly outGroup?: string;
  readonly outPort?: number;
  /** Forward only datagrams from these source addresses (default: every source but itself). */
  readonly from?: readonly string[];
  /** Probabilities 0..1. */
  readonly drop?: number;
  readonly reorder?: number;
  readonly reorderDepth?: number;
  readonly holdMaxMs?: number;
  readonly dup?: number;
  readonly dupDelayMs?: number;
  readonly delayMs?: number;
  readonly jitterMs?: number;
  readonly ttl?: number;
  readonly seed?: number;
  readonly processLabel?: string;
}

export interface RelayCounts {
  readonly received: number;
  readonly dropped: number;
  /** Copies sent, duplicates included. */
  readonly sent: number;
  readonly duplicated: number;
  readonly heldBack: number;
  /** Held back and sent after at least one later datagram. */
  readonly reordered: number;
  readonly delayed: number;
  readonly sendErrors: number;
}

export interface RelayStats extends RelayCounts {
  /** Datagrams not forwarded because of their source (other hosts, itself). */
  readonly ignored: number;
  readonly holding: number;
  readonly firstSendError: string | null;
  /** Original source "ip:port" → the relay's own source port that carries its copies. */
  readonly sourcePorts: Readonly<Record<string, number>>;
  /** Per frame type of the MCC header (chat, hello, bye, nack, ...; raw). */
  readonly byType: Readonly<Record<string, RelayCounts>>;
}

export interface Relay extends LabProcess {
  stats(): Promise<RelayStats>;
  /** Flushes what it holds, then the final counters. */
  stop(): Promise<RelayStats>;
}

export async function startRelay(host: LabHost, options: RelayOptions = {}): Promise<Relay> {
  const args = [`--iface=${options.iface ?? host.address}`];
  const add = (flag: string, value: string | number | undefined): void => {
    if (value !== undefined) args.push(`${flag}=${value}`);
  };
  add('--group', options.group);
  add('--port', options.port);
  add('--out-group', options.outGroup);
  add('--out-port', options.outPort);
  add('--from', options.from?.join(','));
  add('--drop', options.drop);
  add('--reorder', options.reorder);
  add('--reorder-depth', options.reorderDepth);
  add('--hold-max-ms', options.holdMaxMs);
  add('--dup', options.dup);
  add('--dup-delay-ms', options.dupDelayMs);
  add('--delay-ms', options.delayMs);
  add('--jitter-ms', options.jitterMs);
  add('--ttl', options.ttl);
  add('--seed', options.seed);
  const proc = startInHost(host, labScript('relay.ts', args), options.processLabel ?? `relay on ${host.name}`);
  const lab = attach(host, proc);
  await lab.waitForLine((line) => line.type === 'ready', READY_TIMEOUT_MS, 'relay ready');
  return {
    ...lab,
    stats: async () => {
      const before = lab.lines().length;
      lab.signal('SIGUSR2');
      const line = await pollUntil(
        () => lab.lines().slice(before).find((l) => l.type === 'stats'),
        SNAPSHOT_TIMEOUT_MS,
        () => `${proc.label}: waiting for stats\n${proc.report()}`,
        () => (proc.exitStatus() ? 'exited' : undefined),
      );
      return line as unknown as RelayStats;
    },
    stop: async () => {
      const line = await stopWithFinalLine(lab, 'final');
      if (!line) throw new Error(`${proc.label} printed no final stats\n${proc.report()}`);
      return line as unknown as RelayStats;
    },
  };
}

export interface RelayPathOptions extends Omit<RelayOptions, 'from' | 'port'> {
  /** The senders whose traffic takes the relay path. */
  readonly from: readonly LabHost[];
  /** The receivers that get it only through the relay (their direct copies are dropped by nft). */
  readonly to: readonly LabHost[];
  /** Room port; default 4242. */
  readonly port?: number;
}

export interface RelayPath extends Relay {
  /** Per receiver: the nft counters of the direct copies it dropped (should be every datagram the senders sent). */
  directDropped(): { readonly host: string; readonly counters: RuleCounters[] }[];
  /** Lifts the blocks: the receivers hear the senders directly again (the relay keeps running until stop()). */
  unblock(): void;
}

/**
 * Puts a relay in the switch between `from` and `to`: every receiver drops the direct copies
 * from the senders (nft, on that room port), so the relay's copies, with its impairments, are the
 * only ones it gets. Everything else (the receivers' NACKs and presence to the senders, traffic
 * between receivers) stays direct. Inbound loss can be added on top with setLoss.
 */
export async function startRelayPath(lan: Lan, options: RelayPathOptions): Promise<RelayPath> {
  const port = options.port ?? 4242;
  const ruleName = (sender: LabHost): string => `via-relay-${port}-${sender.name}`;
  for (const receiver of options.to) for (const sender of options.from) block(lan, receiver, { port, from: sender.address }, ruleName(sender));
  let relay: Relay;
  try {
    relay = await startRelay(lan.switch, { ...options, port, from: options.from.map((h) => h.address) });
  } catch (error) {
    for (const receiver of options.to) for (const sender of options.from) removeImpairment(lan, receiver, ruleName(sender));
    throw error;
  }
  return {
    ...relay,
    directDropped: () => options.to.map((receiver) => ({ host: receiver.name, counters: options.from.map((sender) => measureOne(lan, receiver, ruleName(sender))) })),
    unblock: () => {
      for (const receiver of options.to) for (const sender of options.from) removeImpairment(lan, receiver, ruleName(sender));
    },
  };
}

// ---------------------------------------------------------------- the CLI

/** `mcchat listen --json` inside a lab host (the existing CLI driver, placed in the namespace). */
export function startMcchatListener(host: LabHost, options: { readonly group?: string; readonly port?: number; readonly count?: number } = {}): Promise<Listener> {
  return startListener(host.place, { iface: host.address, label: `mcchat listen on ${host.name}`, ...options });
}
