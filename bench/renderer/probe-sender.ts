import type dgram from 'node:dgram';
import { ReplayGuard } from '../../electron/core/crypto/replay-guard.js';
import { FrameGate } from '../../electron/core/frame-gate.js';
import { assertSafeEndpoint, BENCH_TTL, type Endpoint } from '../lib/endpoints.js';
import { fakePeer, hexId } from '../lib/frames.js';
import { closeSocket, loopbackSender } from '../lib/loopback-socket.js';
import { pace } from '../lib/pacer.js';
import { nodeClock } from './app.js';

/** The probe's text: what the page's MutationObserver looks for (page-probes.js), padded to chat size. */
export function probeText(index: number, textBytes: number): string {
  return `probe ${index} `.padEnd(textBytes, '.');
}

/**
 * One fake peer on a loopback socket (TTL 0) sending numbered probes at a steady rate. Each is
 * put on the wire as the core does it (a FrameGate: signed with the peer's own Ed25519 identity)
 * when it is due, and its send time is taken just before socket.send(), on the clock the page
 * is compared with (app.ts nodeClock).
 */
export async function sendProbes(endpoint: Endpoint, options: { rate: number; count: number; textBytes: number }): Promise<{ sentAt: number[]; sendErrors: number }> {
  assertSafeEndpoint(endpoint);
  const socket: dgram.Socket = await loopbackSender();
  const who = fakePeer(0);
  const nick = 'probe-sender';
  const sess = hexId();
  const gate = new FrameGate({ identity: who.identity, replay: new ReplayGuard(), key: null, sess, startedAt: Date.now(), now: () => Date.now() });
  const sentAt: number[] = [];
  let sendErrors = 0;
  const onSent = (error: Error | null): void => {
    if (error) sendErrors++;
  };
  try {
    // A hello first, as a real peer starts: the room learns the peer and its first seq.
    socket.send(gate.outgoing({ t: 'hello', peer: who.peer, nick, app: 'bench/1', ivl: 5_000, sess, next: 0 }), endpoint.port, endpoint.group, onSent);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A hybrid logical clock as a real core keeps one: two sends in the same millisecond differ by the counter.
    let l = 0;
    let c = 0;
    await pace(options.rate, options.count, (index) => {
      const ts = Date.now();
      if (ts > l) [l, c] = [ts, 0];
      else c++;
      const frames = gate.chat({ peer: who.peer, nick, sess, seq: index, ttl: BENCH_TTL, ts: l, ...(c !== 0 ? { hc: c } : {}) }, probeText(index, options.textBytes));
      sentAt[index] = nodeClock();
      for (const frame of frames) socket.send(frame, endpoint.port, endpoint.group, onSent);
    });
  } finally {
    // Let the last datagrams leave before closing.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await closeSocket(socket);
  }
  return { sentAt, sendErrors };
}
