export interface FloodLimit {
  /** Datagrams per second one source (or one verified peer) may send, and the burst it may save up. */
  readonly rate: number;
  readonly burst: number;
}

/** Generous for people (and for repair bursts), tiny next to what one flooding process can send. */
export const DEFAULT_FLOOD_LIMIT: FloodLimit = { rate: 500, burst: 2000 };
