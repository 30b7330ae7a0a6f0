import path from 'node:path';
import { pollUntil, sleep } from '../processes.js';
import { framesBetween, type BridgeCapture, type Frame } from './bridge-capture.js';
import { median, type DeliveryFigures, type JoinFigures, type NewcomerFigures, type PresenceFigures, type ScaleResult } from './figures.js';
import { lossCounters, udpReceiveBufferErrors, type LabNet, type LabPeer } from './lab-net.js';
import { startPeer, type LabProcess } from './peer.js';

/**
 * The three scenarios of issue 14's scale lab in one room of `n` peers: peer 0 is the sender
 * (`mcchat chat`, fed lines on stdin), peers 1…n-1 are members (`mcchat listen --json`: they
 * announce themselves, answer history requests, NACK and print what is said), and the next
 * NEWCOMERS namespaces join later (`mcchat chat`, which prints history as "(earlier) …" and each
 * peer as "* nick [fingerprint] at … joined"). In this order:
 *
 *   the sender says HISTORY lines (the room's history; every member gets them)
 *   2. NEWCOMERS join at once → hist answers, history and peer list per newcomer
 *   3. the idle room of n + NEWCOMERS members → hello bytes/s; then the newcomers leave
 *   1. the sender says MESSAGES lines → every receiver shows each once; NACKs, repairs, losses
 *
 * Joins come before the 300 so that a history answer is HISTORY messages, not the 200 newest of
 * 300: with 200-message answers the answer storm (see docs/scale-lab.md) kept both cores here busy
 * for tens of seconds at 30 peers. MCCHAT_SCALE_LAB_HISTORY sets another size.
 *
 * Every wait is for a condition, bounded; the only fixed wait is the presence measurement window,
 * which is a duration by definition.
 */

export const MESSAGES = 300;
export const NEWCOMERS = 10;
export const LOSS_PERCENT = 10;
export const HISTORY = Number(process.env['MCCHAT_SCALE_LAB_HISTORY'] || 30);
/** 40 lines a second (the issue: paced, 20-50/s). */
const PACE_MS = 25;
const START_TIMEOUT_MS = 90_000;
const DELIVERY_TIMEOUT_MS = 120_000;
/** The room is quiet once no frame of the watched types was captured for this long. */
const QUIET_MS = 1_500;
const QUIET_TIMEOUT_MS = 30_000;
/** How long newcomers are watched for history and the full peer list after the last joined. */
const JOIN_OBSERVE_MS = 10_000;
/** Idle-room presence: long enough for every member's hello at least once (interval 5 s, jitter ×0.5-1.5). */
export const PRESENCE_WINDOW_MS = 10_000;
const STOP_GRACE_MS = 1_500;
/** UDP 8 + IPv4 20 + Ethernet 14. */
const HEADERS_BYTES = 42;
const POLL_MS = 100;

export interface LabContext {
  readonly net: LabNet;
  readonly cli: string;
  readonly capture: BridgeCapture;
  readonly group: string;
}

const nickOf = (peer: LabPeer, role: 'sender' | 'member' | 'newcomer'): string => `${role === 'sender' ? 's' : role === 'member' ? 'm' : 'n'}${String(peer.index).padStart(2, '0')}`;

function start(ctx: LabContext, peer: LabPeer, port: number, command: 'listen' | 'chat', nick: string): LabProcess {
  const args = [command, ...(command === 'listen' ? ['--json'] : []), '--iface', peer.address, '--group', ctx.group, '--port', String(port), '--nick', nick];
  return startPeer({ label: `${nick} (${command}) in ${peer.namespace}`, namespace: peer.namespace, cli: ctx.cli, configHome: path.join(ctx.net.workDir, 'config', nick), args });
}

const joinedLine = (role: 'listening on' | 'chatting in') => (line: string): boolean => line.startsWith(`mcchat: ${role} `);

/** Chat lines of one `listen --json`, tallied as they come. */
class Tally {
  private consumed = 0;
  readonly counts = new Map<string, number>();
  foreign = 0;
  completeAt: number | null = null;

  constructor(
    readonly proc: LabProcess,
    private readonly expected: ReadonlySet<string>,
    /** Lines said before (the room's history), printed live then: not this tally's business. */
    private readonly earlier: ReadonlySet<string> = new Set(),
  ) {}

  update(): void {
    const lines = this.proc.stdout;
    for (; this.consumed < lines.length; this.consumed++) {
      const line = lines[this.consumed];
      if (!line || line.text.trim() === '') continue;
      let text: unknown;
      try {
        text = (JSON.parse(line.text) as { text?: unknown }).text;
      } catch {
        this.foreign++;
        continue;
      }
      if (typeof text === 'string' && this.earlier.has(text)) continue;
      if (typeof text !== 'string' || !this.expected.has(text)) {
        this.foreign++;
        continue;
      }
      this.counts.set(text, (this.counts.get(text) ?? 0) + 1);
      if (this.completeAt === null && this.counts.size === this.expected.size) this.completeAt = line.at;
    }
  }

  problem(): string | null {
    const missing = [...this.expected].filter((t) => !this.counts.has(t));
    const twice = [...this.counts].filter(([, c]) => c > 1).map(([t, c]) => `${t}×${c}`);
    if (missing.length === 0 && twice.length === 0 && this.foreign === 0) return null;
    return `${this.proc.label}: ${missing.length} missing (${missing.slice(0, 5).join(', ')}), ${twice.length} more than once (${twice.slice(0, 5).join(', ')}), ${this.foreign} other lines`;
  }
}

/** Waits until no frame of `types` was captured for QUIET_MS; resolves with the closing marker's capture time. */
async function quiet(capture: BridgeCapture, types: ReadonlySet<string>, since: number): Promise<number> {
  const deadline = Date.now() + QUIET_TIMEOUT_MS;
  for (;;) {
    const end = await capture.mark();
    const last = capture.frames().reduce((latest, f) => (f.at >= since && types.has(f.type) ? Math.max(latest, f.at) : latest), since);
    if (end - last >= QUIET_MS || Date.now() > deadline) return end;
    await sleep(Math.max(POLL_MS, QUIET_MS - (end - last)));
  }
}

async function stopAll(processes: readonly LabProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.stop(STOP_GRACE_MS)));
}

/** Feeds `texts` to the sender at PACE_MS and waits (bounded) until every member printed them all. */
async function say(sender: LabProcess, tallies: readonly Tally[], texts: readonly string[]): Promise<{ sendStart: number; sendEnd: number }> {
  const sendStart = Date.now();
  for (const [i, text] of texts.entries()) {
    const due = sendStart + i * PACE_MS;
    if (due > Date.now()) await sleep(due - Date.now());
    sender.write(`${text}\n`);
  }
  const sendEnd = Date.now();
  await pollUntil(
    () => {
      for (const t of tallies) t.update();
      return tallies.every((t) => t.completeAt !== null) ? true : undefined;
    },
    DELIVERY_TIMEOUT_MS,
    () => 'all lines at every member',
  ).catch(() => undefined); // Judged by the caller, with every receiver's problem named.
  for (const t of tallies) t.update();
  return { sendStart, sendEnd };
}

const textsOf = (n: number, kind: 'h' | 'm', count: number): string[] => Array.from({ length: count }, (_, i) => `n${n}-${kind}${String(i + 1).padStart(3, '0')}`);

/** 1. One sender, MESSAGES lines: who showed what, and what the repair cost on the bridge. */
async function delivery(ctx: LabContext, sender: LabProcess, members: readonly LabProcess[], receivers: readonly LabPeer[], n: number, earlier: ReadonlySet<string>): Promise<DeliveryFigures> {
  const texts = textsOf(n, 'm', MESSAGES);
  const tallies = members.map((m) => new Tally(m, new Set(texts), earlier));
  const before = await Promise.all(receivers.map((r) => lossCounters(r.namespace)));
  const socketDropsBefore = members.map((m) => udpReceiveBufferErrors(m.pid) ?? 0);
  const from = await ctx.capture.mark();
  const { sendStart, sendEnd } = await say(sender, tallies, texts);
  const to = await quiet(ctx.capture, new Set(['chat', 'nack']), sendStart);
  for (const t of tallies) t.update();
  const after = await Promise.all(receivers.map((r) => lossCounters(r.namespace)));
  const lostAt = after.map((c, i) => c.lost.chat - (before[i]?.lost.chat ?? 0));
  const seenAt = after.map((c, i) => c.seen.chat - (before[i]?.seen.chat ?? 0));
  const frames = framesBetween(ctx.capture.frames(), from, to);
  const chat = frames.filter((f) => f.type === 'chat');
  const nacks = frames.filter((f) => f.type === 'nack');
  const originals = new Set(chat.map((f) => f.digest)).size;
  const complete = tallies.map((t) => t.completeAt);
  const lastComplete = complete.every((c) => c !== null) ? Math.max(...(complete as number[])) : Date.now();
  return {
    receivers: members.length,
    messages: MESSAGES,
    receiversExact: tallies.filter((t) => t.problem() === null).length,
    problems: tallies.map((t) => t.problem()).filter((p): p is string => p !== null),
    lost: lostAt.reduce((sum, x) => sum + x, 0),
    nacks: nacks.length,
    nackBytes: nacks.length === 0 ? 0 : nacks.reduce((sum, f) => sum + f.bytes, 0) / nacks.length,
    repairs: chat.length - originals,
    originals,
    seenChatMin: Math.min(...seenAt),
    seenChatMax: Math.max(...seenAt),
    chatOnBridge: chat.length,
    deliveryMs: lastComplete - sendStart,
    tailMs: lastComplete - sendEnd,
    sendMs: sendEnd - sendStart,
    socketDrops: members.reduce((sum, m, i) => sum + (udpReceiveBufferErrors(m.pid) ?? 0) - (socketDropsBefore[i] ?? 0), 0),
  };
}

const HISTORY_LINE = /^\(earlier\) \d\d:\d\d:\d\d <[^>]+> \[ttl \d+\] (.*)$/;
const JOINED_LINE = /^\* (\S+) \[[0-9a-f ]+\] at .* joined$/;

interface NewcomerWatch {
  readonly proc: LabProcess;
  joinedAt: number;
  /** Distinct history texts, with how often each was printed. */
  readonly history: Map<string, number>;
  historyFirstAt: number | null;
  historyCompleteAt: number | null;
  readonly peers: Set<string>;
  peersCompleteAt: number | null;
  consumed: number;
}

function updateNewcomer(w: NewcomerWatch, expectedHistory: ReadonlySet<string>, expectedPeers: number): void {
  for (; w.consumed < w.proc.stdout.length; w.consumed++) {
    const line = w.proc.stdout[w.consumed];
    if (!line) continue;
    const history = HISTORY_LINE.exec(line.text);
    if (history?.[1] !== undefined) {
      w.history.set(history[1], (w.history.get(history[1]) ?? 0) + 1);
      w.historyFirstAt ??= line.at;
      if (w.historyCompleteAt === null && [...expectedHistory].every((t) => w.history.has(t))) w.historyCompleteAt = line.at;
      continue;
    }
    const joined = JOINED_LINE.exec(line.text);
    if (joined?.[1] !== undefined) {
      w.peers.add(joined[1]);
      if (w.peers.size >= expectedPeers) w.peersCompleteAt ??= line.at;
    }
  }
}

/** 2. NEWCOMERS join at once a room with history: answers on the bridge, what each newcomer got and when. */
async function join(ctx: LabContext, newcomerPeers: readonly LabPeer[], port: number, existing: number, history: ReadonlySet<string>): Promise<{ figures: JoinFigures; processes: LabProcess[] }> {
  const expectedPeers = existing + newcomerPeers.length - 1;
  const from = await ctx.capture.mark();
  const watches: NewcomerWatch[] = newcomerPeers.map((peer) => ({
    proc: start(ctx, peer, port, 'chat', nickOf(peer, 'newcomer')),
    joinedAt: 0,
    history: new Map(),
    historyFirstAt: null,
    historyCompleteAt: null,
    peers: new Set(),
    peersCompleteAt: null,
    consumed: 0,
  }));
  const processes = watches.map((w) => w.proc);
  const joined = await Promise.all(watches.map((w) => w.proc.waitForStderr(joinedLine('chatting in'), START_TIMEOUT_MS)));
  joined.forEach((line, i) => {
    const w = watches[i];
    if (w) w.joinedAt = line.at;
  });
  const lastJoined = Math.max(...watches.map((w) => w.joinedAt));
  await pollUntil(
    () => {
      for (const w of watches) updateNewcomer(w, history, expectedPeers);
      return watches.every((w) => w.historyCompleteAt !== null && w.peersCompleteAt !== null) ? true : undefined;
    },
    Math.max(0, lastJoined + JOIN_OBSERVE_MS - Date.now()),
    () => 'newcomers complete',
  ).catch(() => undefined); // Incomplete newcomers are figures (null), judged by the test.
  const observedMs = Date.now() - lastJoined;
  const to = await quiet(ctx.capture, new Set(['hist', 'chat', 'sync']), from);
  for (const w of watches) updateNewcomer(w, history, expectedPeers);
  const frames = framesBetween(ctx.capture.frames(), from, to);
  const hist = frames.filter((f) => f.type === 'hist');
  const since = (at: number | null, w: NewcomerWatch): number | null => (at === null ? null : at - w.joinedAt);
  const newcomers: NewcomerFigures[] = watches.map((w) => ({
    label: w.proc.label,
    startMs: w.joinedAt - w.proc.startedAt,
    history: [...history].filter((t) => w.history.has(t)).length,
    historyDuplicates: [...w.history.values()].reduce((sum, c) => sum + c - 1, 0),
    historyFirstMs: since(w.historyFirstAt, w),
    historyCompleteMs: since(w.historyCompleteAt, w),
    peers: w.peers.size,
    peersCompleteMs: since(w.peersCompleteAt, w),
  }));
  return {
    processes,
    figures: {
      existing,
      expectedPeers,
      historySize: history.size,
      historyAnswerSize: Math.max(0, ...hist.map((f) => Number(f.header?.['count'] ?? 0))),
      hist: hist.length,
      histSenders: new Set(hist.map((f) => f.src)).size,
      sync: frames.filter((f) => f.type === 'sync').length,
      historyDatagrams: frames.filter((f) => f.type === 'chat').length,
      newcomers,
      joinSpreadMs: lastJoined - Math.min(...watches.map((w) => w.joinedAt)),
      observedMs,
    },
  };
}

/** 3. The idle room's hellos over PRESENCE_WINDOW_MS. */
async function presence(ctx: LabContext, members: number): Promise<PresenceFigures> {
  const from = await ctx.capture.mark();
  await sleep(PRESENCE_WINDOW_MS);
  const to = await ctx.capture.mark();
  const hellos = framesBetween(ctx.capture.frames(), from, to).filter((f) => f.type === 'hello');
  const lastBySender = new Map<string, Frame>();
  for (const hello of ctx.capture.frames().filter((f) => f.type === 'hello' && f.at <= to)) lastBySender.set(String(hello.header?.['peer'] ?? hello.src), hello);
  const recent = [...lastBySender.values()].filter((f) => f.at >= from - 60_000);
  const ivl = (f: Frame): number => Number(f.header?.['ivl'] ?? 0);
  const windowMs = to - from;
  const bytes = hellos.reduce((sum, f) => sum + f.bytes, 0);
  return {
    members,
    windowMs,
    hellos: hellos.length,
    helloSenders: new Set(hellos.map((f) => String(f.header?.['peer'] ?? f.src))).size,
    helloPayloadBytes: bytes,
    bytesPerS: (bytes * 1000) / windowMs,
    wireBytesPerS: ((bytes + hellos.length * HEADERS_BYTES) * 1000) / windowMs,
    declaredBytesPerS: recent.reduce((sum, f) => sum + (ivl(f) > 0 ? (f.bytes * 1000) / ivl(f) : 0), 0),
    medianIvlMs: median(recent.map(ivl)),
    meanHelloBytes: hellos.length === 0 ? 0 : bytes / hellos.length,
  };
}

/**
 * One room of `n` peers on the lab's network, port `port` (a new port per size, so nothing of an
 * earlier size is heard; the loss tables must already cover it): the scenarios, everything stopped.
 */
export async function runScale(ctx: LabContext, n: number, port: number): Promise<ScaleResult> {
  const began = Date.now();
  const roomPeers = ctx.net.peers.slice(0, n);
  const newcomerPeers = ctx.net.peers.slice(n, n + NEWCOMERS);
  if (roomPeers.length < n || newcomerPeers.length < NEWCOMERS) throw new Error(`the lab has ${ctx.net.peers.length} namespaces, ${n + NEWCOMERS} needed`);
  const [senderPeer, ...receiverPeers] = roomPeers;
  if (!senderPeer) throw new Error('no sender');
  const everyone: LabProcess[] = [];
  const steps: Record<string, number> = {};
  let stepStart = Date.now();
  const step = (name: string): void => {
    steps[name] = Date.now() - stepStart;
    stepStart = Date.now();
  };
  try {
    const members = receiverPeers.map((p) => start(ctx, p, port, 'listen', nickOf(p, 'member')));
    everyone.push(...members);
    await Promise.all(members.map((m) => m.waitForStderr(joinedLine('listening on'), START_TIMEOUT_MS)));
    step('members');
    const sender = start(ctx, senderPeer, port, 'chat', nickOf(senderPeer, 'sender'));
    everyone.push(sender);
    await sender.waitForStderr(joinedLine('chatting in'), START_TIMEOUT_MS);
    step('sender');

    // The room's history: said live, so every member has it to answer with.
    const historyTexts = textsOf(n, 'h', HISTORY);
    const historyTallies = members.map((m) => new Tally(m, new Set(historyTexts)));
    await say(sender, historyTallies, historyTexts);
    const historyProblems = historyTallies.map((t) => t.problem()).filter((p): p is string => p !== null);
    await quiet(ctx.capture, new Set(['chat', 'nack']), Date.now() - 60_000);
    step('history');

    const joined = await join(ctx, newcomerPeers, port, n, new Set(historyTexts));
    everyone.push(...joined.processes);
    step('join');
    const presenceFigures = await presence(ctx, n + NEWCOMERS);
    step('presence');
    await Promise.all(joined.processes.map((p) => p.stop(STOP_GRACE_MS)));
    step('newcomers leave');

    const deliveryFigures = await delivery(ctx, sender, members, receiverPeers, n, new Set(historyTexts));
    step('delivery');
    return { n, delivery: deliveryFigures, join: joined.figures, presence: presenceFigures, historyProblems, wallMs: Date.now() - began, steps };
  } catch (error) {
    const exited = everyone.filter((p) => p.exited()).map((p) => p.report());
    throw new Error(`${String(error)}${exited.length ? `\nexited early:\n${exited.join('\n')}` : ''}`);
  } finally {
    await stopAll(everyone);
  }
}
