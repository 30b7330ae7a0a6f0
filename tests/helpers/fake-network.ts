import type { ReceivedFrom, SocketFactory, UdpSocket } from '../../electron/core/udp-socket.js';
import type { NetInterface } from '../../electron/core/interfaces.js';

type Failure = { method: 'bind' | 'addMembership' | 'send'; code: string; iface?: string };

function osError(code: string): Error {
  return Object.assign(new Error(`${code} (fake)`), { code });
}

/**
 * An in-memory multicast segment: every socket bound to a group's port that joined the group
 * gets each datagram. Lets core tests run on a fake clock and inject OS errors.
 */
export class FakeNetwork {
  private readonly sockets = new Set<FakeSocket>();
  private nextPort = 50_000;
  readonly failures: Failure[] = [];
  /** Decides per delivery whether the segment loses it (a lossy Wi-Fi for one receiver, say). */
  dropWhen: ((data: Uint8Array, to: FakeSocket) => boolean) | null = null;
  /**
   * Routers between two sockets' hosts, as a multicast TTL sees them: a datagram reaches a socket
   * only if the sender's TTL is at least this (0 on the same host, 1 on the same subnet, 2 one
   * router away). Null: everyone is on one subnet and TTL is not checked.
   */
  distance: ((from: FakeSocket, to: FakeSocket) => number) | null = null;
  readonly sent: { data: Uint8Array; to: string; from: string; ttl: number; loopback: boolean }[] = [];

  readonly factory: SocketFactory = () => this.socketFor('');

  /** A socket factory whose sockets are tagged with `owner`. */
  factoryFor(owner: string): SocketFactory {
    return () => this.socketFor(owner);
  }

  private socketFor(owner: string): FakeSocket {
    const socket = new FakeSocket(this);
    socket.owner = owner;
    this.sockets.add(socket);
    return socket;
  }

  failNext(failure: Failure): void {
    this.failures.push(failure);
  }

  takeFailure(method: Failure['method'], iface?: string): Error | null {
    const index = this.failures.findIndex((f) => f.method === method && (f.iface === undefined || f.iface === iface));
    if (index < 0) return null;
    const [failure] = this.failures.splice(index, 1);
    return osError(failure!.code);
  }

  allocatePort(): number {
    return this.nextPort++;
  }

  deliver(from: FakeSocket, data: Uint8Array, port: number, group: string): void {
    this.sent.push({ data, to: `${group}:${port}`, from: `${from.boundAddress}:${from.port}`, ttl: from.ttl, loopback: from.loopback });
    for (const socket of this.sockets) {
      if (socket === from || socket.closed || socket.port !== port) continue;
      if (!socket.memberships.has(group)) continue;
      if (this.distance && from.ttl < this.distance(from, socket)) continue;
      if (this.dropWhen?.(data, socket)) continue;
      socket.receive(Buffer.from(data), { address: from.boundAddress, port: from.port });
    }
  }

  openSockets(): number {
    return [...this.sockets].filter((s) => !s.closed).length;
  }

  /** Hands a datagram to every socket in the group as if a stranger sent it. */
  inject(data: Uint8Array, group: string, port: number, from: ReceivedFrom): void {
    for (const socket of this.sockets) {
      if (!socket.closed && socket.port === port && socket.memberships.has(group)) socket.receive(Buffer.from(data), from);
    }
  }
}

export class FakeSocket implements UdpSocket {
  boundAddress = '0.0.0.0';
  port = 0;
  ttl = 1;
  loopback = true;
  closed = false;
  readonly memberships = new Map<string, Set<string>>();
  private messageHandler: ((data: Buffer, from: ReceivedFrom) => void) | null = null;

  /** Which test peer owns this socket, to aim losses at one receiver. */
  owner = '';

  constructor(private readonly network: FakeNetwork) {}

  async bind(address: string, port: number): Promise<void> {
    const failure = this.network.takeFailure('bind', address);
    if (failure) throw failure;
    this.boundAddress = address;
    this.port = port === 0 ? this.network.allocatePort() : port;
  }
  addMembership(group: string, iface: string): void {
    const failure = this.network.takeFailure('addMembership', iface);
    if (failure) throw failure;
    const set = this.memberships.get(group) ?? new Set<string>();
    set.add(iface);
    this.memberships.set(group, set);
  }
  dropMembership(group: string, iface: string): void {
    this.memberships.get(group)?.delete(iface);
    if (this.memberships.get(group)?.size === 0) this.memberships.delete(group);
  }
  setMulticastInterface(): void {}
  setMulticastTTL(ttl: number): void {
    this.ttl = ttl;
  }
  setMulticastLoopback(on: boolean): void {
    this.loopback = on;
  }
  async send(data: Uint8Array, port: number, address: string): Promise<void> {
    const failure = this.network.takeFailure('send', this.boundAddress);
    if (failure) throw failure;
    this.network.deliver(this, data, port, address);
  }
  localPort(): number {
    return this.port;
  }
  onMessage(handler: (data: Buffer, from: ReceivedFrom) => void): void {
    this.messageHandler = handler;
  }
  onError(): void {}
  receive(data: Buffer, from: ReceivedFrom): void {
    this.messageHandler?.(data, from);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

export const LOOPBACK: NetInterface = { name: 'lo', address: '127.0.0.1', internal: true, up: true, multicast: true };
export const LAN: NetInterface = { name: 'eth0', address: '198.18.1.2', internal: false, up: true, multicast: true };
export const WIFI: NetInterface = { name: 'wlan0', address: '198.18.9.2', internal: false, up: true, multicast: true };
export const DOCKER: NetInterface = { name: 'docker0', address: '198.18.200.1', internal: false, up: true, multicast: true };
