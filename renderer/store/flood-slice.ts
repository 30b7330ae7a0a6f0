/** What the log has said about one flooding source, so it says it at most every few seconds. */
export interface FloodReport {
  readonly peerId: string | null;
  readonly nick: string | null;
  /** When the last line about this source was written. */
  readonly shownAt: number;
  /** When the core last reported it. */
  readonly lastAt: number;
  /** Datagrams dropped since the last line. */
  readonly unshown: number;
  /** Datagrams dropped since this flood began. */
  readonly total: number;
}

export interface FloodSlice {
  /** Keyed by floodKey(roomId, src). */
  readonly floods: Readonly<Record<string, FloodReport>>;
}

export const initialFloodSlice = (): FloodSlice => ({ floods: {} });

export const floodKey = (roomId: string, src: string): string => `${roomId}\n${src}`;
