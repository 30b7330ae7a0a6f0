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
