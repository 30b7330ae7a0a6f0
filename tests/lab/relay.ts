import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

/**
 * A userspace multicast relay for the lab: the kernel here has no netem, so reordering,
 * duplication and delay are made here. It joins --group:--port on --iface, takes the datagrams
 * whose source is one of --from (default: anyone but itself), and re-sends them to
 * --out-group:--out-port (default: the same group and port) from --iface, with:
 *
 *   --drop p          drop with probability p (0..1)
 *   --reorder p       hold a datagram back with probability p, until --reorder-depth k later
 *                     datagrams have been sent (or --hold-max-ms passed): k-deep reordering
 *   --dup p           send a second copy with probability p, --dup-delay-ms after the first
 *   --delay-ms d      delay every datagram by d ms, plus uniform --jitter-ms (jitter reorders too)
 *   --seed n          the random choices are reproducible
 *
 * The relay's own output is not looped back to it (IP_MULTICAST_LOOP off) and datagrams from
 * its own address are ignored, so it never forwards twice. Its source address is its own, not
 * the original sender's (receivers identify peers by the frame's peer id); each original source
 * ip:port gets its own relay socket, so per-source accounting (the core's flood limit) still
 * tells senders apart.
 *
 * stdout: a `ready` line, a `stats` line on SIGUSR2, and on SIGTERM/SIGINT (after flushing what
 * it holds) a `final` line with the same counters, then exit 0. Counters are per datagram, in
 * total and by frame type (`t` of the MCC header: chat, hello, nack, ...; `raw` otherwise).
 *
 *   node --import tsx tests/lab/relay.ts --iface 198.18.10.254 --from 198.18.10.11 --dup 0.2
 */

const spec = {
  iface: { type: 'string' },
  group: { type: 'string', default: '239.255.42.99' },
  port: { type: 'string', default: '4242' },
  'out-group': { type: 'string' },
  'out-port': { type: 'string' },
  from: { type: 'string' },
  drop: { type: 'string', default: '0' },
  reorder: { type: 'string', default: '0' },
  'reorder-depth': { type: 'string', default: '3' },
  'hold-max-ms': { type: 'string', default: '200' },
  dup: { type: 'string', default: '0' },
  'dup-delay-ms': { type: 'string', default: '0' },
  'delay-ms': { type: 'string', default: '0' },
  'jitter-ms': { type: 'string', default: '0' },
  ttl: { type: 'string', default: '1' },
  seed: { type: 'string', default: '1' },
} as const;

function fail(message: string): never {
  process.stderr.write(`relay: ${message}\n`);
  process.exit(2);
}

function parse(): ReturnType<typeof parseArgs<{ options: typeof spec; strict: true }>>['values'] {
  try {
    return parseArgs({ args: process.argv.slice(2), options: spec, strict: true }).values;
  } catch (error) {
    fail((error as Error).message);
  }
}
const values = parse();

function num(name: keyof typeof spec, min: number, max: number): number {
  const raw = values[name];
  const n = Number(raw);
  if (raw === undefined || !Number.isFinite(n) || n < min || n > max) fail(`--${name} must be a number in ${min}..${max}, not ${String(raw)}`);
  return n;
}

const iface = values.iface ?? fail('--iface <IPv4 address of this namespace> is required');
const group = values.group;
const port = num('port', 1, 65535);
const outGroup = values['out-group'] ?? group;
const outPort = values['out-port'] !== undefined ? num('out-port', 1, 65535) : port;
const from = values.from ? new Set(values.from.split(',').map((s) => s.trim())) : null;
const config = {
  drop: num('drop', 0, 1),
  reorder: num('reorder', 0, 1),
  reorderDepth: Math.round(num('reorder-depth', 1, 1000)),
  holdMaxMs: num('hold-max-ms', 1, 60_000),
  dup: num('dup', 0, 1),
  dupDelayMs: num('dup-delay-ms', 0, 60_000),
  delayMs: num('delay-ms', 0, 60_000),
  jitterMs: num('jitter-ms', 0, 60_000),
  ttl: Math.round(num('ttl', 0, 255)),
  seed: Math.round(num('seed', 0, 2 ** 31)),
};

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(config.seed);

interface Counts {
  received: number;
  dropped: number;
  /** Copies sent, duplicates included. */
  sent: number;
  duplicated: number;
  heldBack: number;
  /** Held back and sent after at least one later datagram: arrived out of order downstream. */
  reordered: number;
  delayed: number;
  sendErrors: number;
}

const emptyCounts = (): Counts => ({ received: 0, dropped: 0, sent: 0, duplicated: 0, heldBack: 0, reordered: 0, delayed: 0, sendErrors: 0 });
const total = emptyCounts();
const byType = new Map<string, Counts>();
let ignored = 0;
let firstSendError: string | null = null;

function count(type: string, key: keyof Counts): void {
  total[key]++;
  let counts = byType.get(type);
  if (!counts) {
    counts = emptyCounts();
    byType.set(type, counts);
  }
  counts[key]++;
}

/** The frame type from an "MCC<version> {json}\n" header, without parsing the whole JSON. */
function frameType(data: Buffer): string {
  if (data.length < 5 || data.toString('latin1', 0, 3) !== 'MCC') return 'raw';
  const head = data.toString('latin1', 0, Math.min(data.length, 600));
  const match = /"t":"([a-z]+)"/.exec(head.slice(0, head.indexOf('\n') >>> 0));
  return match?.[1] ?? 'unknown';
}

const receiver = dgram.createSocket({ type: 'udp4', reuseAddr: true });
let pendingSends = 0;

/**
 * One sending socket per original source "ip:port": the core rate-limits (and flags floods) per
 * source ip:port, so relayed senders stay apart instead of pooling into one relay source.
 */
const senders = new Map<string, Promise<dgram.Socket>>();
const sourcePorts: Record<string, number> = {};

function senderFor(source: string): Promise<dgram.Socket> {
  let sender = senders.get(source);
  if (!sender) {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    socket.on('error', (error) => fail(`send socket for ${source}: ${error.message}`));
    sender = new Promise<dgram.Socket>((resolve) =>
      socket.bind({ address: iface, port: 0, exclusive: false }, () => {
        socket.setMulticastInterface(iface);
        socket.setMulticastTTL(config.ttl);
        socket.setMulticastLoopback(false);
        sourcePorts[source] = socket.address().port;
        resolve(socket);
      }),
    );
    senders.set(source, sender);
  }
  return sender;
}

function transmit(data: Buffer, type: string, source: string): void {
  pendingSends++;
  count(type, 'sent');
  void senderFor(source).then((socket) =>
    socket.send(data, outPort, outGroup, (error) => {
      pendingSends--;
      if (error) {
        count(type, 'sendErrors');
        firstSendError ??= error.message;
      }
    }),
  );
}

/** After the reorder stage: delay (and jitter) then send. */
function output(data: Buffer, type: string, source: string): void {
  const delay = config.delayMs + (config.jitterMs > 0 ? random() * config.jitterMs : 0);
  if (delay <= 0) transmit(data, type, source);
  else {
    count(type, 'delayed');
    setTimeout(() => transmit(data, type, source), delay);
  }
  if (config.dup > 0 && random() < config.dup) {
    count(type, 'duplicated');
    const copy = Buffer.from(data);
    if (config.dupDelayMs <= 0 && delay <= 0) transmit(copy, type, source);
    else setTimeout(() => transmit(copy, type, source), delay + config.dupDelayMs);
  }
}

interface Held {
  readonly data: Buffer;
  readonly type: string;
  readonly source: string;
  readonly since: number;
  remaining: number;
  overtaken: number;
}
let held: Held[] = [];

function release(entry: Held): void {
  if (entry.overtaken > 0) count(entry.type, 'reordered');
  output(entry.data, entry.type, entry.source);
}

/** One datagram went out past the held ones: each is one step nearer its release. */
function stepHeld(): void {
  if (held.length === 0) return;
  const due: Held[] = [];
  held = held.filter((entry) => {
    entry.overtaken++;
    entry.remaining--;
    if (entry.remaining > 0) return true;
    due.push(entry);
    return false;
  });
  for (const entry of due) release(entry);
}

function flushHeld(olderThanMs: number): void {
  const now = performance.now();
  const due = held.filter((entry) => now - entry.since >= olderThanMs);
  if (due.length === 0) return;
  held = held.filter((entry) => !due.includes(entry));
  for (const entry of due) release(entry);
}

receiver.on('message', (data, rinfo) => {
  if (rinfo.address === iface || (from && !from.has(rinfo.address))) {
    ignored++;
    return;
  }
  const type = frameType(data);
  const source = `${rinfo.address}:${rinfo.port}`;
  count(type, 'received');
  if (config.drop > 0 && random() < config.drop) {
    count(type, 'dropped');
    return;
  }
  if (config.reorder > 0 && random() < config.reorder) {
    count(type, 'heldBack');
    held.push({ data, type, source, since: performance.now(), remaining: config.reorderDepth, overtaken: 0 });
    return;
  }
  output(data, type, source);
  stepHeld();
});

function stats(): Record<string, unknown> {
  return {
    ...total,
    ignored,
    holding: held.length,
    firstSendError,
    sourcePorts,
    byType: Object.fromEntries(byType),
    config: { ...config, iface, group, port, outGroup, outPort, from: from ? [...from] : null },
  };
}

function print(type: string): void {
  process.stdout.write(`${JSON.stringify({ type, at: Date.now(), ...stats() })}\n`);
}

receiver.on('error', (error) => fail(`receive socket: ${error.message}`));

await new Promise<void>((resolve) => receiver.bind({ address: group, port, exclusive: false }, resolve));
receiver.addMembership(group, iface);

const holdTimer = setInterval(() => flushHeld(config.holdMaxMs), Math.max(5, Math.min(50, config.holdMaxMs / 4)));

process.on('SIGUSR2', () => print('stats'));
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(holdTimer);
  receiver.close();
  flushHeld(0);
  // Delayed copies still in timers: give them their time (bounded), then report.
  const deadline = Date.now() + Math.min(2_000, config.delayMs + config.jitterMs + config.dupDelayMs + 100);
  while ((pendingSends > 0 || Date.now() < deadline) && Date.now() < deadline + 500) await new Promise((resolve) => setTimeout(resolve, 10));
  print('final');
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());

process.stdout.write(`${JSON.stringify({ type: 'ready', at: Date.now(), config: stats()['config'] })}\n`);
