import dgram from 'node:dgram';
import { BENCH_TTL, LOOPBACK, type Endpoint } from './endpoints.js';

/** A sending socket pinned to loopback: bound to 127.0.0.1, multicast out of 127.0.0.1, TTL 0. */
export async function loopbackSender(): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: LOOPBACK, port: 0 }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.setMulticastInterface(LOOPBACK);
  socket.setMulticastTTL(BENCH_TTL);
  socket.setMulticastLoopback(true);
  return socket;
}

/**
 * A bare receiving socket the way the core opens one on Linux: bound to the group address
 * (so only that group arrives), reuseAddr, membership on 127.0.0.1 only.
 */
export async function loopbackReceiver(endpoint: Endpoint): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: endpoint.group, port: endpoint.port, exclusive: false }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.addMembership(endpoint.group, LOOPBACK);
  return socket;
}

export function closeSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
