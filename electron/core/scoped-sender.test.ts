import { describe, expect, it } from 'vitest';
import type { NetInterface } from './interfaces.js';
import type { Sender } from './room-sockets.js';
import { ScopedSender } from './scoped-sender.js';
import type { UdpSocket } from './udp-socket.js';

const IFACE: NetInterface = { name: 'lo', address: '127.0.0.1', internal: true, up: true, multicast: true };

/** A socket whose sends complete only when the test says so, like a kernel that is busy. */
function slowSocket(): { socket: UdpSocket; handedOver: { text: string; ttl: number }[]; complete: () => void } {
  let ttl = 1;
  const handedOver: { text: string; ttl: number }[] = [];
  const waiting: (() => void)[] = [];
  const socket = {
    setMulticastTTL: (value: number) => (ttl = value),
    send: (data: Uint8Array) => {
      handedOver.push({ text: new TextDecoder().decode(data), ttl });
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
  } as unknown as UdpSocket;
  return { socket, handedOver, complete: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ScopedSender', () => {
  it('sends each datagram with its own TTL, switching only once earlier datagrams have left', async () => {
    const { socket, handedOver, complete } = slowSocket();
    const sender = new ScopedSender([{ iface: IFACE, socket } as Sender], 4242, '239.255.42.99', 1);
    const first = sender.send([bytes('room ttl')], 1);
    const repair = sender.send([bytes('ttl 0 repair')], 0);
    const next = sender.send([bytes('room ttl again')], 1);
    await tick();
    // The repair waits: the first datagram is still with the kernel at TTL 1.
    expect(handedOver).toEqual([{ text: 'room ttl', ttl: 1 }]);
    complete();
    await first;
    await tick();
    expect(handedOver[1]).toEqual({ text: 'ttl 0 repair', ttl: 0 });
    expect(handedOver).toHaveLength(2);
    complete();
    await repair;
    await tick();
    complete();
    await next;
    expect(handedOver).toEqual([
      { text: 'room ttl', ttl: 1 },
      { text: 'ttl 0 repair', ttl: 0 },
      { text: 'room ttl again', ttl: 1 },
    ]);
  });

  it('reports each failed send instead of throwing', async () => {
    const socket = { setMulticastTTL: () => undefined, send: () => Promise.reject(Object.assign(new Error('gone'), { code: 'ENODEV' })) } as unknown as UdpSocket;
    const sender = new ScopedSender([{ iface: IFACE, socket } as Sender], 4242, '239.255.42.99', 1);
    const outcomes = await sender.send([bytes('a'), bytes('b')], 3);
    expect(outcomes.map((o) => o.ok)).toEqual([false, false]);
  });
});
