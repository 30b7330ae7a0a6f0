import type { ChatMessage } from '../../../shared/events.js';
import type { Clock } from '../clock.js';

/** Sort key of a record: numbers sort numerically, strings by code unit, numbers before strings. */
export type HistoryOrder = string | number;

/** What is stored per message. */
export interface HistoryRecord {
  /** Unique within the room, e.g. `${peerId}/${id}` or `raw-${n}`; appends of a recently stored key are skipped. */
  readonly key: string;
  readonly order: HistoryOrder;
  readonly message: ChatMessage;
  /** The original datagrams, base64, for re-sending verbatim (history answers). */
  readonly wire?: readonly string[];
}

/**
 * A position in the room's log, for paging backwards. Opaque; valid for the lifetime of the
 * RoomHistory that returned it (compaction keeps it valid; a cursor into compacted-away history
 * yields an empty page).
 */
export type HistoryCursor = number;

export interface HistoryPage {
  /** Oldest first, sorted by `order` (a record appended late takes its place within the page). */
  readonly records: HistoryRecord[];
  /** Pass to `before()` for the previous page; null when the page reaches the start of the history. */
  readonly cursor: HistoryCursor | null;
}

export interface SearchResult {
  /** Newest first (by when they were stored). */
  readonly records: HistoryRecord[];
  /** Where to continue an unfinished search (pass as `options.before`); null when all history was searched. */
  readonly cursor: HistoryCursor | null;
}

export interface SearchOptions {
  /** Search only history stored before this cursor (to continue a search). */
  readonly before?: HistoryCursor;
  /** Stop after scanning this many bytes of file (returns a cursor to continue). Default: no limit. */
  readonly maxScanBytes?: number;
}

export interface HistoryStats {
  /** Lines in the file, corrupt ones included. Exact when `recordsExact`, otherwise an estimate. */
  readonly records: number;
  readonly recordsExact: boolean;
  /** Size of the room's file. */
  readonly bytes: number;
  /** Torn or corrupt records skipped (each counted once per RoomHistory), including a torn tail cut off at open. */
  readonly tornRecordsSkipped: number;
  readonly compactions: number;
  /** Appends that failed to reach the OS (disk full, I/O error); those records are lost. */
  readonly writeErrors: number;
  readonly duplicatesSkipped: number;
  /** fsyncs of the log done so far. */
  readonly syncs: number;
  /** Bytes read from the file so far (diagnostics; shows that opening does not read everything). */
  readonly bytesRead: number;
}

export interface RoomHistoryOptions {
  /** Compaction bound: past this the file is rewritten keeping the newest half. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Timers for the periodic fsync. Default: the system clock. */
  readonly clock?: Clock;
  /** fsync (power-loss durability) this often while there are unsynced appends. Default 1000 ms. */
  readonly syncIntervalMs?: number;
  /** Failures of background work (fsync, compaction, writes): the history keeps going. */
  readonly onError?: (error: Error) => void;
}

export interface RoomHistory {
  /**
   * Writes the records to the OS before returning (one write syscall per call), so a kill -9 right
   * after loses nothing; fsync follows within `syncIntervalMs`. Never throws: failures are counted
   * in `writeErrors` and reported to `onError`. Returns how many records were written.
   */
  append(records: readonly HistoryRecord[]): number;
  /** Makes everything appended so far durable (fsync), after any compaction under way. */
  flush(): Promise<void>;
  /** The last `count` records stored. */
  tail(count: number): Promise<HistoryPage>;
  /** The `count` records stored just before `cursor`. */
  before(cursor: HistoryCursor, count: number): Promise<HistoryPage>;
  /** Up to `max` of the most recently stored records ordered after `order`, oldest first. */
  since(order: HistoryOrder, max: number): Promise<HistoryRecord[]>;
  /** Case-insensitive substring search in message text, newest first, at most `max` results. */
  search(text: string, max: number, options?: SearchOptions): Promise<SearchResult>;
  /** The record stored under `key` (the newest, if stored twice), or null; reads back from the end until found. */
  find(key: string): Promise<HistoryRecord | null>;
  /** Calls `onKey` with the key of every intact record stored so far (one pass over the file, in chunks). */
  keys(onKey: (key: string) => void): Promise<void>;
  stats(): HistoryStats;
  /** Flushes, stops timers and closes the file. Further appends are ignored. */
  close(): Promise<void>;
}
