import type { ChatWarning } from '../../shared/errors.js';
import type { RoomCounters } from '../../shared/events.js';
import { arrivalInterface, type NetInterface } from './interfaces.js';
import { toChatError } from './os-errors.js';
import { closeRoomSockets, openRoomSockets, type RoomSockets, type SocketPlan } from './room-sockets.js';
import { ScopedSender } from './scoped-sender.js';
import type { ReceivedFrom, SocketFactory } from './udp-socket.js';

export interface LinkDeps {
  readonly createSocket: SocketFactory;
  readonly onDatagram: (data: Buffer, from: ReceivedFrom) => void;
  readonly onSocketError: (error: Error) => void;
  /** The room's counters: datagrams and bytes out, send errors. */
  readonly counters: RoomCounters;
  readonly changed: () => void;
}

/**
 * A room's way onto the network: its sockets on the chosen interfaces, the send path with the
 * TTL each datagram was meant for (scoped-sender.ts), and where our own datagrams come from.
 * Opened again on every rejoin; the room above it keeps its state across those.
 */
export class RoomLink {
  private sockets: RoomSockets | null = null;
  private sender: ScopedSender | null = null;
  private sources: ReadonlySet<string> = new Set();

  constructor(private readonly deps: LinkDeps) {}

  /**
   * Opens the sockets and joins the group. A one-shot sender (`sendOnlyFallback`) whose port is
   * held by a program that does not share it (the lecture's receiver binds without
   * SO_REUSEADDR) still sends; it just cannot hear requests for repairs.
   */
  async open(plan: Omit<SocketPlan, 'sendOnly'>, sendOnlyFallback: boolean): Promise<void> {
    let sockets: RoomSockets;
    try {
      sockets = await openRoomSockets({ ...plan, sendOnly: false }, this.deps.createSocket, this.deps.onDatagram, this.deps.onSocketError);
    } catch (error) {
      if (!sendOnlyFallback || toChatError(error, { group: plan.group, port: plan.port }).code !== 'PORT_IN_USE') throw error;
      const sendOnly = await openRoomSockets({ ...plan, sendOnly: true }, this.deps.createSocket, this.deps.onDatagram, this.deps.onSocketError);
      const warning: ChatWarning = { code: 'SEND_ONLY', message: `Port ${plan.port} is held by a program that does not share it (a receiver bound without SO_REUSEADDR): sending only, so a peer that misses this message cannot ask for it again.` };
      sockets = { ...sendOnly, warnings: [...sendOnly.warnings, warning] };
    }
    this.sockets = sockets;
    this.sender = new ScopedSender(sockets.senders, plan.port, plan.group, plan.ttl);
    this.sources = new Set(sockets.senders.map((s) => `${s.iface.address}:${s.socket.localPort()}`));
  }

  async close(group: string): Promise<void> {
    const sockets = this.sockets;
    this.sockets = null;
    this.sender = null;
    if (sockets) await closeRoomSockets(sockets, group);
  }

  get isOpen(): boolean {
    return this.sockets !== null;
  }

  /** Without a receive socket nobody's request for a resend can reach us. */
  get canHear(): boolean {
    return this.sockets?.receiver != null;
  }

  get joined(): readonly NetInterface[] | null {
    return this.sockets?.joined ?? null;
  }

  get warnings(): readonly ChatWarning[] {
    return this.sockets?.warnings ?? [];
  }

  get groupFiltered(): boolean {
    return this.sockets?.groupFiltered ?? true;
  }

  /** Where our datagrams come from: a datagram from there is our own echo. */
  get ownSources(): ReadonlySet<string> {
    return this.sources;
  }

  /** The name of the interface a datagram from `address` came in on, when it can be told. */
  arrivalIface(address: string): string | undefined {
    return arrivalInterface(this.sockets?.joined ?? [], address)?.name;
  }

  /** The interface our first socket sends on. */
  get firstIface(): string | undefined {
    return this.sockets?.senders[0]?.iface.name;
  }

  /** Our first source address, shown on our own messages. */
  get firstSource(): string {
    const first = this.sockets?.senders[0];
    return first ? `${first.iface.address}:${first.socket.localPort()}` : '';
  }

  /** Every datagram on every interface at `ttl`; throws only when none went out at all. */
  async send(datagrams: readonly Uint8Array[], ttl: number, context: { group: string; port: number }): Promise<void> {
    const iface = this.sockets?.senders[0]?.iface.address;
    const results = this.sender ? await this.sender.send(datagrams, ttl) : [];
    const c = this.deps.counters;
    let sent = 0;
    let firstError: unknown;
    for (const result of results) {
      if (result.ok) {
        sent++;
        c.bytesOut += result.bytes;
      } else {
        c.sendErrors++;
        firstError ??= result.error;
      }
    }
    c.datagramsOut += sent;
    this.deps.changed();
    if (firstError !== undefined && sent === 0) throw toChatError(firstError, { ...context, iface });
  }
}
