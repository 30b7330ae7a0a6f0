import type { Sender } from './room-sockets.js';

/** One datagram's fate on one socket. */
export type SendOutcome = { readonly ok: true; readonly bytes: number } | { readonly ok: false; readonly error: unknown };

/**
 * Sends on a room's sockets with the TTL each datagram was meant for. A message keeps the TTL
 * it was first sent with when it is resent (a repair, a history answer), even after the room's
 * TTL changed: a TTL 0 message must never leave the host, whoever asks for it.
 *
 * The OS has one multicast TTL per socket, and Node hands a datagram to the kernel a tick
 * after send() is called, so a TTL switch waits until every datagram already handed over has
 * left (its send settled), sets the TTL, and holds later sends behind it. Datagrams at the
 * socket's current TTL go straight out, which is every send while no switch is pending.
 */
export class ScopedSender {
  /** What the sockets are set to now. */
  private socketTtl: number;
  private inFlight = new Set<Promise<unknown>>();
  /** Sends queued behind a TTL switch; while any is, everything queues to keep the order. */
  private queued = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly senders: readonly Sender[],
    private readonly port: number,
    private readonly group: string,
    ttl: number,
  ) {
    this.socketTtl = ttl;
  }

  /** Every datagram on every socket, at `ttl`; resolves with one outcome per (socket, datagram). */
  send(datagrams: readonly Uint8Array[], ttl: number): Promise<SendOutcome[]> {
    if (this.queued === 0 && ttl === this.socketTtl) return this.track(this.sendNow(datagrams));
    this.queued++;
    // Sends handed over before this one; later ones queue behind it while `queued` > 0.
    const earlier = [...this.inFlight];
    const turn = this.queue.then(async () => {
      await Promise.allSettled(earlier);
      if (ttl !== this.socketTtl) this.setTtl(ttl);
      return this.sendNow(datagrams);
    });
    this.queue = turn.finally(() => this.queued--);
    return this.track(turn);
  }

  private setTtl(ttl: number): void {
    for (const sender of this.senders) {
      try {
        sender.socket.setMulticastTTL(ttl);
      } catch {
        // A closed socket: its sends fail and are counted there.
      }
    }
    this.socketTtl = ttl;
  }

  private sendNow(datagrams: readonly Uint8Array[]): Promise<SendOutcome[]> {
    return Promise.all(
      this.senders.flatMap((sender) =>
        datagrams.map((d) =>
          sender.socket.send(d, this.port, this.group).then(
            (): SendOutcome => ({ ok: true, bytes: d.length }),
            (error: unknown): SendOutcome => ({ ok: false, error }),
          ),
        ),
      ),
    );
  }

  private track(sending: Promise<SendOutcome[]>): Promise<SendOutcome[]> {
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
    return sending;
  }
}
