import { parseArgs } from 'node:util';
import type { RoomSnapshot } from '../../shared/events.js';
import { fail, handleSignals, integer, makeCore, peerOptions, peerOptionSpec, printEvents, printLine, roomConfig } from './script-common.js';

/**
 * A sending peer for the lab, built on the core: joins the room as a full member (it hears
 * presence, and later NACKs), optionally waits for peers or a start time, sends --count
 * messages at --rate per second (0: as fast as the socket takes them), prints one `sent` line
 * per message and a `done` line, then lingers (--linger-ms, -1 until SIGTERM) before leaving.
 *
 * Message i's text is "<label> <i>" padded with dots to --size bytes, so a receiver can check
 * completeness and per-sender order from the text alone.
 *
 *   node --import tsx tests/lab/bulk-send.ts --iface 198.18.10.11 --count 1000 --rate 500
 */

const spec = {
  ...peerOptionSpec,
  count: { type: 'string', default: '100' },
  rate: { type: 'string', default: '0' },
  label: { type: 'string' },
  size: { type: 'string', default: '0' },
  /** Wait until this many other peers were heard (presence) before sending. */
  'wait-peers': { type: 'string', default: '0' },
  'wait-peers-timeout-ms': { type: 'string', default: '10000' },
  /** Wall-clock time (ms since epoch) to start sending: lines several senders up. */
  'start-at': { type: 'string' },
  'linger-ms': { type: 'string', default: '0' },
  /** Also print other peers' messages (a sender that is also a receiver). */
  collect: { type: 'boolean', default: false },
  /** Print a `sent` line every N messages (1: every one). */
  'progress-every': { type: 'string', default: '1' },
} as const;

let values;
try {
  values = parseArgs({ args: process.argv.slice(2), options: spec, strict: true }).values;
} catch (error) {
  fail((error as Error).message);
}
const options = peerOptions(values, 'sender');
const count = integer(values.count, 'count') ?? 100;
const rate = integer(values.rate, 'rate') ?? 0;
const label = values.label ?? options.nick;
const size = integer(values.size, 'size') ?? 0;
const waitPeers = integer(values['wait-peers'], 'wait-peers') ?? 0;
const waitPeersTimeoutMs = integer(values['wait-peers-timeout-ms'], 'wait-peers-timeout-ms') ?? 10_000;
const startAt = integer(values['start-at'], 'start-at');
const lingerMs = integer(values['linger-ms'], 'linger-ms') ?? 0;
const progressEvery = Math.max(1, integer(values['progress-every'], 'progress-every') ?? 1);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const core = makeCore(options);
let room: RoomSnapshot | null = null;
let sent = 0;
let errors = 0;
printEvents(core, options, values.collect === true);
handleSignals(core, () => room, () => ({ sent, sendErrors: errors }));

try {
  room = await core.joinRoom(roomConfig(options));
} catch (error) {
  printLine({ type: 'join-failed', message: (error as Error).message });
  process.exit(1);
}
const roomId = room.roomId;
printLine({ type: 'ready', peerId: core.peerId, nick: core.nickname, room });

if (waitPeers > 0) {
  const deadline = Date.now() + waitPeersTimeoutMs;
  while (core.peers(roomId).length < waitPeers && Date.now() < deadline) await sleep(20);
  printLine({ type: 'peers', peers: core.peers(roomId).map((p) => ({ peerId: p.peerId, nick: p.nick })), wanted: waitPeers });
}
if (startAt !== undefined && startAt > Date.now()) await sleep(startAt - Date.now());

function textOf(i: number): string {
  const text = `${label} ${i}`;
  return text.length >= size ? text : text + '.'.repeat(size - text.length);
}

const started = performance.now();
let firstError: string | null = null;
for (let i = 0; i < count; i++) {
  if (rate > 0) {
    // Paced by the clock, not by sleeps: a late timer sends the backlog at once, the average holds.
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
  } else if (i % 64 === 63) {
    // Flat out, but let the receive path and timers run now and then.
    await new Promise((resolve) => setImmediate(resolve));
  }
  try {
    const message = await core.send(roomId, textOf(i));
    sent++;
    if (i % progressEvery === 0 || i === count - 1) printLine({ type: 'sent', i, id: message.id, seq: message.seq, ts: message.ts, bytes: message.bytes });
  } catch (error) {
    errors++;
    firstError ??= (error as Error).message;
    printLine({ type: 'send-error', i, message: (error as Error).message });
  }
}
const durationMs = performance.now() - started;
printLine({
  type: 'done',
  sent,
  sendErrors: errors,
  firstError,
  durationMs,
  ratePerSecond: durationMs > 0 ? (sent * 1000) / durationMs : null,
  counters: core.counters(roomId),
});

if (lingerMs >= 0) {
  await sleep(lingerMs);
  process.kill(process.pid, 'SIGTERM');
}
