import type { ChatWarning } from '../../shared/errors.js';
import type { NetInterface } from './interfaces.js';
import { toChatError } from './os-errors.js';
import type { ReceivedFrom, SocketFactory, UdpSocket } from './udp-socket.js';

export interface SocketPlan {
  readonly group: string;
  readonly port: number;
  readonly ttl: number;
  readonly loopback: boolean;
  readonly interfaces: readonly NetInterface[];
  readonly sendOnly: boolean;
  readonly platform: NodeJS.Platform;
}

export interface Sender {
  readonly iface: NetInterface;
  readonly socket: UdpSocket;
}

export interface RoomSockets {
  readonly receiver: UdpSocket | null;
  /** One per interface: the OS sends multicast out of one interface per socket. */
  readonly senders: readonly Sender[];
  /** The interfaces whose membership succeeded. */
  readonly joined: readonly NetInterface[];
  readonly warnings: readonly ChatWarning[];
  /** False where the receive socket is bound to 0.0.0.0 and sees every group on the port. */
  readonly groupFiltered: boolean;
}

async function closeQuietly(sockets: Iterable<UdpSocket | null>): Promise<void> {
  await Promise.all([...sockets].map((s) => s?.close()));
}

/**
 * Binding the receive socket to the group address makes Linux and macOS deliver only that
 * group's datagrams (a 0.0.0.0 bind also gets every other group on the port). Windows cannot
 * bind a multicast address, and does not need to: it filters by membership.
 */
function receiveBindAddress(plan: SocketPlan): string {
  return plan.platform === 'win32' ? '0.0.0.0' : plan.group;
}

/** Opens a room's sockets and joins its group on every planned interface, or fails cleanly. */
export async function openRoomSockets(
  plan: SocketPlan,
  createSocket: SocketFactory,
  onDatagram: (data: Buffer, from: ReceivedFrom) => void,
  onSocketError: (error: Error) => void,
): Promise<RoomSockets> {
  const context = { group: plan.group, port: plan.port };
  const warnings: ChatWarning[] = [];
  let receiver: UdpSocket | null = null;
  let joined: NetInterface[] = [...plan.interfaces];

  if (!plan.sendOnly) {
    receiver = createSocket();
    receiver.onError(onSocketError);
    try {
      await receiver.bind(receiveBindAddress(plan), plan.port);
    } catch (error) {
      await closeQuietly([receiver]);
      throw toChatError(error, context);
    }
    const failures: { iface: NetInterface; error: unknown }[] = [];
    for (const iface of plan.interfaces) {
      try {
        receiver.addMembership(plan.group, iface.address);
      } catch (error) {
        failures.push({ iface, error });
      }
    }
    joined = plan.interfaces.filter((i) => !failures.some((f) => f.iface === i));
    const firstFailure = failures[0];
    if (firstFailure && joined.length === 0) {
      await closeQuietly([receiver]);
      throw toChatError(firstFailure.error, { ...context, iface: firstFailure.iface.address });
    }
    for (const failure of failures) {
      warnings.push({
        code: 'PARTIAL_JOIN',
        message: `Could not join on ${failure.iface.name} (${failure.iface.address}): ${toChatError(failure.error, { ...context, iface: failure.iface.address }).message}`,
      });
    }
    receiver.onMessage(onDatagram);
  }

  const senders: Sender[] = [];
  try {
    for (const iface of joined) {
      const socket = createSocket();
      senders.push({ iface, socket });
      socket.onError(onSocketError);
      await socket.bind(iface.address, 0);
      socket.setMulticastInterface(iface.address);
      socket.setMulticastTTL(plan.ttl);
      socket.setMulticastLoopback(plan.loopback);
    }
  } catch (error) {
    const iface = senders[senders.length - 1]?.iface.address;
    await closeQuietly([receiver, ...senders.map((s) => s.socket)]);
    throw toChatError(error, iface ? { ...context, iface } : context);
  }

  if (plan.platform === 'win32' && !plan.sendOnly) {
    warnings.push({ code: 'NO_GROUP_FILTER', message: 'On Windows the room listens on 0.0.0.0 and relies on group membership to filter traffic.' });
  }
  return { receiver, senders, joined, warnings, groupFiltered: plan.platform !== 'win32' };
}

/** Leaves the group on every interface and closes every socket; never throws. */
export async function closeRoomSockets(sockets: RoomSockets, group: string): Promise<void> {
  for (const iface of sockets.joined) {
    try {
      sockets.receiver?.dropMembership(group, iface.address);
    } catch {
      // The interface may be gone already (sleep, unplugged): closing the socket drops it anyway.
    }
  }
  await closeQuietly([sockets.receiver, ...sockets.senders.map((s) => s.socket)]);
}
