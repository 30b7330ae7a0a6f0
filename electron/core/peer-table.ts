import type { PeerInfo } from '../../shared/events.js';

export type PeerChange =
  | { readonly kind: 'joined'; readonly peer: PeerInfo }
  | { readonly kind: 'updated'; readonly peer: PeerInfo }
  | { readonly kind: 'left'; readonly peer: PeerInfo; readonly reason: 'bye' | 'timeout' };

interface PeerEntry {
  /** As last reported; `lastSeen` lives beside it so a sighting on the datagram path allocates nothing. */
  peer: PeerInfo;
  lastSeen: number;
  /** When this peer counts as gone unless heard from again. */
  expiresAt: number;
}

export interface Sighting {
  readonly peerId: string;
  readonly nick: string;
  readonly address: string;
  /** Present on announcements only. */
  readonly app?: string;
  /** The sender's own announce interval, when it told us. */
  readonly intervalMs?: number;
  /** What the trust store says about this peer (absent in tests that do not care). */
  readonly verified?: boolean;
  readonly impersonates?: string | null;
}

/** The peer id in groups of four: `a1b2 c3d4 e5f6 0718`. */
export function fingerprintOfPeer(peerId: string): string {
  return peerId.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Who is in a room, keyed by peer id rather than IP (one host with two NICs is one peer).
 * A peer is gone after a goodbye, or after `timeoutMs` (scaled to its announce interval) of silence.
 */
/**
 * An announced interval counts for at most this when timing a peer out: a flood of identities
 * announcing the longest interval the wire allows (600 s) was kept 35 minutes; now 3.5.
 */
export const MAX_COUNTED_INTERVAL_MS = 60_000;
/** Peers listed per room: a flood of fresh identities cannot grow the table past this. */
export const MAX_PEERS = 1_024;
/** Source addresses kept per peer (a laptop with Ethernet and Wi-Fi has two): the newest. */
export const MAX_ADDRESSES = 4;

export class PeerTable {
  private readonly peers = new Map<string, PeerEntry>();
  /** Newcomers not listed because the table was full (they are still heard). */
  refused = 0;

  constructor(private readonly timeoutMs: number, private readonly defaultIntervalMs: number) {}

  see(sighting: Sighting, now: number): PeerChange | null {
    const interval = sighting.intervalMs === undefined ? undefined : Math.min(sighting.intervalMs, MAX_COUNTED_INTERVAL_MS);
    const timeout = interval ? Math.round((this.timeoutMs * interval) / this.defaultIntervalMs) : this.timeoutMs;
    const entry = this.peers.get(sighting.peerId);
    if (!entry) {
      // Full: whoever is listed stays (long-seen and verified peers are never pushed out by a
      // flood); the newcomer is listed once fake entries time out.
      if (this.peers.size >= MAX_PEERS) {
        this.refused++;
        return null;
      }
      const peer: PeerInfo = {
        peerId: sighting.peerId,
        nick: sighting.nick,
        app: sighting.app ?? null,
        addresses: [sighting.address],
        firstSeen: now,
        lastSeen: now,
        flooding: false,
        fingerprint: fingerprintOfPeer(sighting.peerId),
        verified: sighting.verified ?? false,
        impersonates: sighting.impersonates ?? null,
      };
      this.peers.set(sighting.peerId, { peer, lastSeen: now, expiresAt: now + timeout });
      return { kind: 'joined', peer };
    }
    entry.lastSeen = now;
    entry.expiresAt = Math.max(entry.expiresAt, now + timeout);
    const old = entry.peer;
    const changed =
      old.nick !== sighting.nick ||
      (sighting.app !== undefined && old.app !== sighting.app) ||
      !old.addresses.includes(sighting.address) ||
      (sighting.verified !== undefined && sighting.verified !== old.verified) ||
      (sighting.impersonates !== undefined && sighting.impersonates !== old.impersonates);
    if (!changed) return null;
    entry.peer = {
      ...old,
      nick: sighting.nick,
      app: sighting.app ?? old.app,
      addresses: old.addresses.includes(sighting.address) ? old.addresses : [...old.addresses, sighting.address].slice(-MAX_ADDRESSES),
      lastSeen: now,
      verified: sighting.verified ?? old.verified,
      impersonates: sighting.impersonates === undefined ? old.impersonates : sighting.impersonates,
    };
    return { kind: 'updated', peer: entry.peer };
  }

  /** Marks or clears a peer as flooding; a change is reported like any other. */
  flag(peerId: string, flooding: boolean): PeerChange | null {
    const entry = this.peers.get(peerId);
    if (!entry || entry.peer.flooding === flooding) return null;
    entry.peer = { ...entry.peer, flooding, lastSeen: entry.lastSeen };
    return { kind: 'updated', peer: entry.peer };
  }

  /** The user marked a fingerprint verified (or not). */
  setVerified(peerId: string, verified: boolean): PeerChange | null {
    const entry = this.peers.get(peerId);
    if (!entry || entry.peer.verified === verified) return null;
    entry.peer = { ...entry.peer, verified, lastSeen: entry.lastSeen };
    return { kind: 'updated', peer: entry.peer };
  }

  nickOf(peerId: string): string | null {
    return this.peers.get(peerId)?.peer.nick ?? null;
  }

  bye(peerId: string): PeerChange | null {
    const entry = this.peers.get(peerId);
    if (!entry) return null;
    this.peers.delete(peerId);
    return { kind: 'left', peer: current(entry), reason: 'bye' };
  }

  expire(now: number): PeerChange[] {
    const gone: PeerChange[] = [];
    for (const [id, entry] of this.peers) {
      if (entry.expiresAt <= now) {
        this.peers.delete(id);
        gone.push({ kind: 'left', peer: current(entry), reason: 'timeout' });
      }
    }
    return gone;
  }

  has(peerId: string): boolean {
    return this.peers.has(peerId);
  }

  get size(): number {
    return this.peers.size;
  }

  list(): PeerInfo[] {
    return [...this.peers.values()].map(current);
  }

  clear(): PeerInfo[] {
    const all = this.list();
    this.peers.clear();
    return all;
  }
}

function current(entry: PeerEntry): PeerInfo {
  return entry.peer.lastSeen === entry.lastSeen ? entry.peer : { ...entry.peer, lastSeen: entry.lastSeen };
}
