import dgram from 'node:dgram';

export interface ReceivedFrom {
  readonly address: string;
  readonly port: number;
}

/** The slice of `dgram` the core uses, promise-shaped, so tests can inject failures. */
export interface UdpSocket {
  bind(address: string, port: number): Promise<void>;
  addMembership(group: string, iface: string): void;
  dropMembership(group: string, iface: string): void;
  setMulticastInterface(iface: string): void;
  setMulticastTTL(ttl: number): void;
  setMulticastLoopback(on: boolean): void;
  send(data: Uint8Array, port: number, address: string): Promise<void>;
  localPort(): number;
  onMessage(handler: (data: Buffer, from: ReceivedFrom) => void): void;
  onError(handler: (error: Error) => void): void;
  close(): Promise<void>;
}

export type SocketFactory = () => UdpSocket;

/**
 * A classroom burst arrives faster than one JavaScript turn drains it; the kernel's default
 * receive buffer (about 200 KiB on Linux) then drops datagrams before we see them. The OS caps
 * the request at its own maximum (net.core.rmem_max), so asking for more is harmless.
 */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** IPv4 UDP with SO_REUSEADDR, so several rooms and several instances share a port. */
export const createDgramSocket: SocketFactory = () => {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true, recvBufferSize: RECEIVE_BUFFER_BYTES });
  let closed = false;
  return {
    bind: (address, port) =>
      new Promise<void>((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        socket.once('error', onError);
        socket.bind({ address, port, exclusive: false }, () => {
          socket.off('error', onError);
          resolve();
        });
      }),
    addMembership: (group, iface) => socket.addMembership(group, iface),
    dropMembership: (group, iface) => socket.dropMembership(group, iface),
    setMulticastInterface: (iface) => socket.setMulticastInterface(iface),
    setMulticastTTL: (ttl) => {
      socket.setMulticastTTL(ttl);
    },
    setMulticastLoopback: (on) => {
      socket.setMulticastLoopback(on);
    },
    send: (data, port, address) =>
      new Promise<void>((resolve, reject) => {
        socket.send(data, port, address, (error) => (error ? reject(error) : resolve()));
      }),
    localPort: () => socket.address().port,
    onMessage: (handler) => socket.on('message', (data, rinfo) => handler(data, rinfo)),
    onError: (handler) => socket.on('error', handler),
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        try {
          socket.close(() => resolve());
        } catch {
          resolve();
        }
      }),
  };
};
