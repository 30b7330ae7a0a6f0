/**
 * The attacker's tools for live hostile-LAN tests against a real `mcchat` on loopback:
 * - RawSender: UDP datagrams with a forged source address and port, through raw_sender.py (Node
 *   has no raw sockets; it needs root). The script pins its raw socket to the loopback device
 *   and refuses any destination but loopback or multicast, any TTL above 1, and any source
 *   outside 127.0.0.0/8;
 * - a look at the victim: its CPU time and resident memory from /proc, and its counters as
 *   `mcchat chat` prints them for `/stats`.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliRun } from '../cli/harness.js';
import { waitFor } from './wait.js';

const SCRIPT = fileURLToPath(new URL('./raw_sender.py', import.meta.url));

export interface ForgedDatagram {
  /** The forged source: any address in 127.0.0.0/8, any port. */
  readonly srcIp: string;
  readonly srcPort: number;
  readonly dstIp: string;
  readonly dstPort: number;
  /** 0: looped back to this host's sockets only, never put on a device. */
  readonly ttl: 0 | 1;
  readonly payload: Uint8Array;
}

/** Whether this run may open raw sockets, and what to do if not (see `rawGate`). */
export interface RawGate {
  readonly skip: boolean;
  /** Appended to the describe title when skipped. */
  readonly titleSuffix: string;
  /** Call first in beforeAll: throws the reason when raw sockets are out of reach but required. */
  require(): void;
}

/**
 * Raw sockets need root. Without it the suite is skipped, saying so, unless MCCHAT_REQUIRE_ROOT
 * is set (CI sets it), in which case it runs and fails in beforeAll with the reason.
 */
export function rawGate(file: string): RawGate {
  const reason = process.getuid?.() === 0 ? null : 'forging source addresses needs a raw socket, so root';
  const required = (process.env['MCCHAT_REQUIRE_ROOT'] ?? '') !== '';
  const skip = reason !== null && !required;
  if (reason !== null) console.warn(`${file}: ${required ? 'MCCHAT_REQUIRE_ROOT is set, failing' : 'skipped'}: ${reason}`);
  return {
    skip,
    titleSuffix: skip ? ` (skipped: ${reason ?? ''})` : '',
    require() {
      if (reason !== null) throw new Error(`MCCHAT_REQUIRE_ROOT is set but this cannot run: ${reason}`);
    },
  };
}

function ipBytes(ip: string): Buffer {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  return Buffer.from(parts);
}

/** One record of raw_sender.py's input: `op` then the datagram. */
function record(op: 'D' | 'Q', d: ForgedDatagram): Buffer {
  const head = Buffer.alloc(1 + 15);
  head.write(op, 0, 'latin1');
  ipBytes(d.srcIp).copy(head, 1);
  head.writeUInt16BE(d.srcPort, 5);
  ipBytes(d.dstIp).copy(head, 7);
  head.writeUInt16BE(d.dstPort, 11);
  head.writeUInt8(d.ttl, 13);
  head.writeUInt16BE(d.payload.length, 14);
  return Buffer.concat([head, d.payload]);
}

export interface SendReport {
  readonly count: number;
  readonly seconds: number;
}

interface LineWaiter {
  readonly prefix: string;
  readonly resolve: (line: string) => void;
  readonly reject: (error: Error) => void;
}

/** The long-lived raw_sender.py child: datagrams in on its stdin, reports out on its stdout. */
export class RawSender {
  /** Report lines nobody waits for yet. */
  private readonly unclaimed: string[] = [];
  /** In the order the requests were written: the script answers in that order. */
  private readonly waiters: LineWaiter[] = [];
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.heard(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    child.on('exit', (code, signal) => {
      for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`raw_sender.py exited (${code ?? signal}): ${this.stderr}`));
    });
  }

  static async start(): Promise<RawSender> {
    const sender = new RawSender(spawn('python3', [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] }));
    await sender.nextLine('ready', 30_000);
    return sender;
  }

  /** Sent at once, in order with everything written before. */
  send(d: ForgedDatagram): void {
    this.write(record('D', d));
  }

  /** Kept for `blast` or `paced`. */
  queue(d: ForgedDatagram): void {
    this.write(record('Q', d));
  }

  /** Resolves once everything written before has been handed to the kernel. */
  async flush(): Promise<number> {
    this.write(Buffer.from('F'));
    return Number((await this.nextLine('sent ', 30_000)).split(' ')[1]);
  }

  /** Sends the queue round-robin, as fast as Python and the kernel go, until `stop` is called. */
  blast(): { stop(): Promise<SendReport> } {
    this.write(Buffer.from('B'));
    return {
      stop: async () => {
        this.write(Buffer.from('S'));
        return this.report(await this.nextLine('blasted ', 30_000));
      },
    };
  }

  /**
   * Sends the queue once, in order, at `perSecond`, after what was asked before. Queue the
   * next batch while this one goes out: the script reads it when this one is done.
   */
  async paced(perSecond: number, timeoutMs: number): Promise<SendReport> {
    const op = Buffer.alloc(5);
    op.write('P', 0, 'latin1');
    op.writeUInt32BE(perSecond, 1);
    this.write(op);
    return this.report(await this.nextLine('paced ', timeoutMs));
  }

  /** Ends the child (ours, by its handle): closing its input ends it; a kill if it hangs. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private write(data: Buffer): void {
    if (this.child.exitCode !== null) throw new Error(`raw_sender.py has exited (${this.child.exitCode}): ${this.stderr}`);
    this.child.stdin.write(data);
  }

  private report(line: string): SendReport {
    const [, count = '0', seconds = '0'] = line.split(' ');
    return { count: Number(count), seconds: Number(seconds) };
  }

  private heard(line: string): void {
    const at = this.waiters.findIndex((w) => line.startsWith(w.prefix));
    if (at < 0) this.unclaimed.push(line);
    else this.waiters.splice(at, 1)[0]?.resolve(line);
  }

  /** The next report line starting with `prefix`. */
  private nextLine(prefix: string, timeoutMs: number): Promise<string> {
    const at = this.unclaimed.findIndex((line) => line.startsWith(prefix));
    if (at >= 0) return Promise.resolve(this.unclaimed.splice(at, 1)[0] ?? '');
    if (this.child.exitCode !== null) return Promise.reject(new Error(`raw_sender.py has exited (${this.child.exitCode}): ${this.stderr}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for raw_sender.py to say "${prefix.trim()}": ${this.stderr}`));
      }, timeoutMs);
      const waiter: LineWaiter = {
        prefix,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }
}

const CLOCK_TICKS_PER_S = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User plus system CPU time a process has used, in ms (/proc/<pid>/stat, fields 14 and 15). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

/** Resident memory of a process, in KiB (VmRSS in /proc/<pid>/status). */
export function rssKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

/**
 * Waits until a process has used less than `maxMs` of CPU over `probeMs` (it has worked through
 * what it was sent); bounded by `timeoutMs`.
 */
export async function untilIdle(pid: number, timeoutMs: number, probeMs = 500, maxMs = 30): Promise<void> {
  let last = cpuMs(pid);
  let lastAt = Date.now();
  await waitFor(
    () => {
      if (Date.now() - lastAt < probeMs) return false;
      const now = cpuMs(pid);
      const idle = now - last <= maxMs;
      last = now;
      lastAt = Date.now();
      return idle;
    },
    `process ${pid} to go idle`,
    timeoutMs,
  );
}

/**
 * The victim's counters: types `/stats` into a running `mcchat chat` and reads the three lines
 * it prints ("* traffic:     datagrams in 1,234, …"), by label ("datagrams in", "bad signature").
 */
export async function chatStats(run: CliRun, timeoutMs = 30_000): Promise<Map<string, number>> {
  const from = run.stdout.length;
  run.child.stdin.write('/stats\n');
  const block = (out: string): RegExpExecArray | null => /^\* traffic:.*\n(?:.*\n)*?\* security:.*\n/m.exec(out.slice(from));
  await run.until((out) => block(out) !== null, timeoutMs);
  const counters = new Map<string, number>();
  for (const line of (block(run.stdout)?.[0] ?? '').split('\n')) {
    const items = line.replace(/^\* \w+:\s*/, '').split(', ');
    for (const item of items) {
      const match = /^(.*) ([\d,]+)$/.exec(item);
      if (match?.[1] !== undefined && match[2] !== undefined) counters.set(match[1], Number(match[2].replace(/,/g, '')));
    }
  }
  return counters;
}
