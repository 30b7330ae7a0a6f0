/**
 * Load generator: one socket per fake peer, pre-encoded chat frames patched per datagram, sent
 * as fast as possible ("blast") or paced to a total rate. Loopback only (see lib/endpoints.ts).
 */
import type dgram from 'node:dgram';
import { assertSafeEndpoint, type Endpoint } from '../lib/endpoints.js';
import { roomKeyFromBytes } from '../../electron/core/crypto/room-key.js';
import { ChatFrameMaker, fakePeer } from '../lib/frames.js';
import { closeSocket, loopbackSender } from '../lib/loopback-socket.js';
import { cpuMicros, failStartup, post, serveCommands, workerConfig } from './io.js';

export interface SenderConfig {
  readonly targets: readonly Endpoint[];
  /** Fake peers, each with its own socket (so its own source address for the flood guard). */
  readonly peers: number;
  /** Datagrams per second in total; null sends as fast as the process can. */
  readonly rate: number | null;
  /** Stop after this many chat datagrams (then post 'finished'); null runs until stopped. */
  readonly total: number | null;
  readonly textBytes: number;
  /** Each peer says hello in every target before its first message. */
  readonly hellos: boolean;
  /** A passphrase room's key (hex): frames are sealed with it. */
  readonly keyHex?: string;
}

export interface SenderReport {
  readonly sent: number;
  readonly sentSinceMark: number;
  readonly msSinceMark: number;
  readonly cpuMsSinceMark: number;
  readonly sendErrors: number;
}

const BLAST_BATCH = 256;
const MAX_IN_FLIGHT = 8192;

const config = workerConfig<SenderConfig>();
config.targets.forEach(assertSafeEndpoint);
const sockets: dgram.Socket[] = [];
let makers: ChatFrameMaker[][] = [];
try {
  for (let i = 0; i < config.peers; i++) sockets.push(await loopbackSender());
  makers = Array.from({ length: config.peers }, (_, i) => {
    const who = fakePeer(i);
    const key = config.keyHex ? roomKeyFromBytes(Buffer.from(config.keyHex, 'hex')) : null;
    // Without hellos the receiver would know no key: then every frame carries it (v2).
    return config.targets.map(() => new ChatFrameMaker(who, config.textBytes, key, !config.hellos));
  });
} catch (error) {
  failStartup(error);
}

let running = false;
let sent = 0;
let inFlight = 0;
let sendErrors = 0;
let mark = { sent: 0, at: performance.now(), cpu: cpuMicros() };
let drained: (() => void) | null = null;
let ticker: NodeJS.Timeout | null = null;

const onSent = (error: Error | null): void => {
  inFlight--;
  if (error) sendErrors++;
  if (drained && inFlight < MAX_IN_FLIGHT / 2) {
    drained();
    drained = null;
  }
};

function sendOne(now: number): void {
  const k = sent++;
  const peerIndex = k % config.peers;
  const targetIndex = Math.floor(k / config.peers) % config.targets.length;
  const target = config.targets[targetIndex];
  const socket = sockets[peerIndex];
  const maker = makers[peerIndex]?.[targetIndex];
  if (!target || !socket || !maker) return;
  inFlight++;
  socket.send(maker.next(now), target.port, target.group, onSent);
}

function finishedAll(): boolean {
  if (config.total === null || sent < config.total) return false;
  running = false;
  post('finished', { sent });
  return true;
}

async function blast(): Promise<void> {
  while (running) {
    const now = Date.now();
    for (let i = 0; i < BLAST_BATCH && running; i++) {
      sendOne(now);
      if (finishedAll()) return;
    }
    if (inFlight > MAX_IN_FLIGHT) await new Promise<void>((resolve) => (drained = resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function paced(rate: number): void {
  const start = performance.now();
  const base = sent;
  const maxPerTick = Math.max(1, Math.ceil(rate / 50));
  ticker = setInterval(() => {
    if (!running) return;
    const due = Math.floor(((performance.now() - start) * rate) / 1000) - (sent - base);
    const now = Date.now();
    for (let i = 0; i < Math.min(due, maxPerTick); i++) {
      sendOne(now);
      if (finishedAll()) return;
    }
  }, 1);
}

async function sayHello(): Promise<void> {
  const all: Promise<void>[] = [];
  makers.forEach((row, p) =>
    row.forEach((maker, t) => {
      const target = config.targets[t];
      const socket = sockets[p];
      if (target && socket) all.push(new Promise((resolve) => socket.send(maker.hello(), target.port, target.group, () => resolve())));
    }),
  );
  await Promise.all(all);
}

serveCommands({
  go: async () => {
    // Already sending: a receiver of a later phase joined; greet it so it learns our keys (v2).
    if (running) {
      if (config.hellos) await sayHello();
      return;
    }
    if (config.hellos) await sayHello();
    running = true;
    mark = { sent, at: performance.now(), cpu: cpuMicros() };
    if (config.rate === null) void blast();
    else paced(config.rate);
  },
  mark: () => {
    mark = { sent, at: performance.now(), cpu: cpuMicros() };
    return { sent };
  },
  report: (): SenderReport => ({
    sent,
    sentSinceMark: sent - mark.sent,
    msSinceMark: performance.now() - mark.at,
    cpuMsSinceMark: (cpuMicros() - mark.cpu) / 1000,
    sendErrors,
  }),
  stop: async () => {
    running = false;
    if (ticker) clearInterval(ticker);
    await Promise.all(sockets.map(closeSocket));
    process.exit(0);
  },
});
post('ready', { peers: makers.length });
