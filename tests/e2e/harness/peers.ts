import dgram from 'node:dgram';
import { decodeDatagram, type Decoded } from '../../../shared/protocol/codec.js';
import { startMcchat, type McchatRun } from '../../helpers/mcchat-process.js';
import { testPeer } from '../../helpers/signed-frames.js';
import { sleep, waitFor } from '../../helpers/wait.js';
import { LOOPBACK } from './core-server.js';

// Network safety: every peer here is pinned to 127.0.0.1 (mcchat --iface, dgram interface).

export interface Endpoint {
  readonly group: string;
  readonly port: number;
}

const running = new Set<McchatRun>();

/**
 * The mcchat CLI from source, always on loopback; tracked so stopAllPeers can end it. `env` adds
 * variables for it, e.g. MCCHAT_PASSPHRASE to join a passphrase room.
 */
export function mcchat(command: 'listen' | 'send', endpoint: Endpoint, args: readonly string[], env: NodeJS.ProcessEnv = {}): McchatRun {
  const run = startMcchat([command, '--iface', LOOPBACK, '--group', endpoint.group, '--port', String(endpoint.port), ...args], env);
  running.add(run);
  void run.exited.then(() => running.delete(run));
  return run;
}

/** `mcchat send`, to completion, bounded. */
export async function mcchatSend(endpoint: Endpoint, args: readonly string[], timeoutMs = 10_000, env: NodeJS.ProcessEnv = {}): Promise<McchatRun> {
  const run = mcchat('send', endpoint, args, env);
  const code = await exitWithin(run, timeoutMs);
  if (code !== 0) throw new Error(`mcchat send ${args.join(' ')} exited ${String(code)}: ${run.stderr}`);
  return run;
}

/**
 * `mcchat listen --json`, resolved once it has joined the group. A joining peer asks the room
 * for recent history and prints what it gets like live messages, so callers look for their
 * message with waitForJsonLine instead of relying on --count.
 */
export async function mcchatListen(endpoint: Endpoint, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<McchatRun> {
  const run = mcchat('listen', endpoint, ['--json', ...args], env);
  await waitFor(() => run.stderr.includes('listening on') || run.child.exitCode !== null, 'mcchat listen to join', 15_000);
  if (!run.stderr.includes('listening on')) throw new Error(`mcchat listen did not start: ${run.stderr}`);
  return run;
}

/** Waits for the process to exit; past the deadline it is stopped (SIGTERM, which tsx passes on). */
export async function exitWithin(run: McchatRun, timeoutMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const result = await Promise.race([run.exited, timedOut]);
  clearTimeout(timer);
  if (result !== 'timeout') return result;
  await stopPeer(run);
  throw new Error(`mcchat did not exit within ${timeoutMs} ms; stdout: ${run.stdout} stderr: ${run.stderr}`);
}

/**
 * SIGTERM, not SIGKILL: the tsx wrapper forwards it to the node process running mcchat, while a
 * SIGKILL would orphan that child. Only processes started here, each by its own handle.
 */
export async function stopPeer(run: McchatRun): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  const stopped = await Promise.race([run.exited.then(() => true), sleep(3_000).then(() => false)]);
  if (!stopped) run.child.kill('SIGKILL');
}

export async function stopAllPeers(): Promise<void> {
  await Promise.all([...running].map(stopPeer));
  running.clear();
}

/** The first `--json` line matching `match`, waited for (bounded). */
export async function waitForJsonLine(run: McchatRun, match: (line: Record<string, unknown>) => boolean, what: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const find = (): Record<string, unknown> | undefined => {
    // Only whole lines: the last one may still be arriving.
    const complete = run.stdout.slice(0, run.stdout.lastIndexOf('\n') + 1);
    return parseJsonLines(complete).find(match);
  };
  try {
    return await waitFor(find, what, timeoutMs);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; mcchat printed: ${run.stdout || '(nothing)'} ${run.stderr}`);
  }
}

export function parseJsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function loopbackSender(): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: 'udp4' });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => resolve());
  });
  socket.setMulticastInterface(LOOPBACK);
  socket.setMulticastTTL(1);
  socket.setMulticastLoopback(true);
  return socket;
}

const send = (socket: dgram.Socket, bytes: Uint8Array, endpoint: Endpoint): Promise<void> =>
  new Promise((resolve, reject) => socket.send(bytes, endpoint.port, endpoint.group, (error) => (error ? reject(error) : resolve())));

export interface FloodResult {
  readonly sent: number;
  readonly ms: number;
  /** Times the sender waited a whole stall period without progress (datagrams probably lost). */
  readonly stalls: number;
}

/**
 * Sends `count` chat frames (signed, one datagram each) from `peers` fake peers taking
 * turns, each with its own socket, so no single source goes over the receiver's per-source
 * flood limit (a burst of 2,000). Message i comes from peer i % peers and carries the stamp [t0, i] (`ts`, `hc`),
 * so the room's order is the index order. At most `window` datagrams are ahead of
 * `received()`, so the loopback socket's receive buffer never overflows.
 */
export async function floodChat(
  endpoint: Endpoint,
  options: { count: number; peers?: number; text: (index: number) => string; received: () => number; window?: number; timeoutMs?: number },
): Promise<FloodResult> {
  const senders = await Promise.all(
    Array.from({ length: options.peers ?? 10 }, async (_, k) => ({
      socket: await loopbackSender(),
      // Its own signing key and session, as a real peer has: unsigned frames are never shown.
      peer: testPeer(),
      nick: `flooder-${k + 1}`,
      seq: 0,
    })),
  );
  const window = options.window ?? 64;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const start = Date.now();
  const t0 = Date.now();
  const base = options.received();
  let stalls = 0;
  try {
    for (let i = 0; i < options.count; i++) {
      let waitedSince = Date.now();
      let last = options.received();
      while (i - (options.received() - base) >= window) {
        if (Date.now() > deadline) throw new Error(`flood: gave up after ${i} of ${options.count} messages (receiver at ${options.received() - base})`);
        await sleep(1);
        const now = options.received();
        if (now !== last) {
          last = now;
          waitedSince = Date.now();
        } else if (Date.now() - waitedSince > 1_000) {
          // Nothing arrived for a second: those datagrams are gone; move on rather than hang.
          stalls++;
          break;
        }
      }
      const sender = senders[i % senders.length];
      if (!sender) throw new Error('no sender');
      // v2: the stamp is [ts, hc]; no hc on the wire when it is 0.
      const header = { nick: sender.nick, seq: sender.seq++, ttl: 1, ts: t0, ...(i > 0 ? { hc: i } : {}) };
      for (const frame of sender.peer.chat(header, options.text(i))) await send(sender.socket, frame, endpoint);
    }
  } finally {
    for (const sender of senders) sender.socket.close();
  }
  return { sent: options.count, ms: Date.now() - start, stalls };
}

/**
 * One peer announcing itself `count` times as fast as it can, from one socket: a flood the
 * core's per-source limit must cut, made of presence frames, so the room's log gets no rows from
 * it but the app's own lines about it.
 */
export async function floodHello(endpoint: Endpoint, options: { count: number; nick: string }): Promise<void> {
  const socket = await loopbackSender();
  const peer = testPeer();
  try {
    for (let i = 0; i < options.count; i++) {
      await send(socket, peer.frame({ t: 'hello', nick: options.nick, app: 'flood-test/1', ivl: 5_000 }), endpoint);
    }
  } finally {
    socket.close();
  }
}

/** Sends one datagram of the given bytes, exactly, from loopback. */
export async function sendDatagram(endpoint: Endpoint, bytes: Uint8Array): Promise<void> {
  const socket = await loopbackSender();
  try {
    await send(socket, bytes, endpoint);
  } finally {
    socket.close();
  }
}

export interface Observer {
  readonly frames: Decoded[];
  close(): void;
}

/** A passive member of the group on loopback that decodes everything it hears. */
export async function observeGroup(endpoint: Endpoint): Promise<Observer> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  const frames: Decoded[] = [];
  socket.on('message', (bytes) => frames.push(decodeDatagram(new Uint8Array(bytes))));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    // Bound to the group (Linux filters by it), member via loopback only.
    socket.bind(endpoint.port, endpoint.group, () => resolve());
  });
  socket.addMembership(endpoint.group, LOOPBACK);
  return {
    frames,
    close: () => socket.close(),
  };
}
