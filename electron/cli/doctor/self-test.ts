import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import type { Check } from './types.js';
import { reasonOf } from './types.js';

const LOOPBACK = '127.0.0.1';
const NAME = 'loopback self-test';

/**
 * Joins `group` on 127.0.0.1 and sends one datagram to it with TTL 0, which the OS loops back
 * to this host and never transmits: whether this machine's multicast path works at all, with no
 * network and no other program involved. An ephemeral port, so no room on this host hears it.
 */
export async function loopbackSelfTest(group: string, platform: NodeJS.Platform, timeoutMs = 2_000): Promise<Check> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  const nonce = `mcchat doctor ${randomBytes(8).toString('hex')}`;
  let step = 'opening a socket';
  try {
    const started = performance.now();
    const heard = new Promise<number>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('message', (data, from) => {
        if (from.address === LOOPBACK && data.toString('utf8') === nonce) resolve(performance.now() - started);
      });
    });
    // Awaited only after sending: a socket error before that is reported by the step it broke.
    heard.catch(() => undefined);
    step = 'binding';
    // Bound to the group, the OS delivers only its datagrams; Windows cannot bind a group address.
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, platform === 'win32' ? '0.0.0.0' : group, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    step = `joining ${group} on ${LOOPBACK}`;
    socket.addMembership(group, LOOPBACK);
    step = 'setting the loopback interface, TTL 0 and loopback';
    socket.setMulticastInterface(LOOPBACK);
    socket.setMulticastTTL(0);
    socket.setMulticastLoopback(true);
    step = 'sending';
    const { port } = socket.address();
    await new Promise<void>((resolve, reject) => socket.send(nonce, port, group, (error) => (error ? reject(error) : resolve())));
    step = 'waiting for it';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`nothing came back within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    const ms = await Promise.race([heard, timeout]).finally(() => clearTimeout(timer));
    return { status: 'OK', name: NAME, text: `Joined ${group} on ${LOOPBACK} and heard our own datagram (TTL 0, never on a wire) in ${ms.toFixed(1)} ms: this host's multicast works.` };
  } catch (error) {
    return { status: 'WARN', name: NAME, text: `Failed ${step} (${reasonOf(error)}): multicast does not work on ${LOOPBACK} here, so neither will a demo on one machine.` };
  } finally {
    try {
      socket.close();
    } catch {
      // Never bound: nothing to close.
    }
  }
}
