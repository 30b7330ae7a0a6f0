import type { PeerInfo } from '../../shared/events.js';

export interface PeersSlice {
  /** Per room, per peer id. */
  readonly peers: Readonly<Record<string, Readonly<Record<string, PeerInfo>>>>;
}

export const initialPeersSlice = (): PeersSlice => ({ peers: {} });
