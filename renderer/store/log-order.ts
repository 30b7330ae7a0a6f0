import { entryKey, type LogEntry } from './messages-slice.js';

/**
 * A room's log is kept sorted by `order`. Messages carry the core's key (the room's hybrid
 * logical clock, then the sender: zero-padded, so plain string comparison sorts it); the app's
 * own lines get a key just after the entry that was newest when they were written.
 */

/** Bounds memory for a room left open for days; the oldest lines go first. */
export const MESSAGE_CAP = 200_000;

// Above every character of the core's keys (digits, '.', hex, "raw:", ':'): a line sorts just
// after the key it follows and before any key that is greater.
const LINE_MARK = '~';

/** Well under every engine's limit on the number of arguments to one call. */
const SPLICE_ARGUMENTS = 4096;

/** First index whose key is not less than `order`. */
export function lowerBound(log: readonly LogEntry[], order: string): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log[mid] as LogEntry).order < order) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is greater than `order`: entries newer than it start here. */
export function upperBound(log: readonly LogEntry[], order: string): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log[mid] as LogEntry).order <= order) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The key for a line the app writes now. After `newest` (the newest key in the log) when there
 * is one, so the line stays where it was written even if later messages carry older clocks; in an
 * empty log, the wall clock, so history loaded afterwards (older) sorts above "Joined …".
 */
export function lineOrder(newest: string | null, now: number, seq: number): string {
  const after = newest === null ? String(Math.max(0, Math.floor(now))).padStart(15, '0') : followedKey(newest);
  return `${after}${LINE_MARK}${String(seq).padStart(12, '0')}`;
}

// Lines written one after another follow the same key and sort by their sequence number, so keys
// never grow longer however many lines come in a row.
function followedKey(order: string): string {
  const mark = order.indexOf(LINE_MARK);
  return mark === -1 ? order : order.slice(0, mark);
}

const byOrder = (a: LogEntry, b: LogEntry): number => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0);

function isSorted(entries: readonly LogEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if ((entries[i - 1] as LogEntry).order > (entries[i] as LogEntry).order) return false;
  return true;
}

// A message has one key everywhere (the sender's clock stamp and peer, kept on disk with it), so
// a second copy sits among the entries with the same key: no index over 200,000 ids is needed.
function hasTwin(entry: LogEntry, log: readonly LogEntry[], from: number, out: readonly LogEntry[]): boolean {
  const key = entryKey(entry);
  for (let i = from; i < log.length && (log[i] as LogEntry).order === entry.order; i++) if (entryKey(log[i] as LogEntry) === key) return true;
  for (let i = out.length - 1; i >= 0 && (out[i] as LogEntry).order === entry.order; i--) if (entryKey(out[i] as LogEntry) === key) return true;
  return false;
}

export interface Merged {
  readonly log: readonly LogEntry[];
  /** The entries that went in: `added` minus copies of what the log already had. */
  readonly inserted: readonly LogEntry[];
}

/**
 * Puts `added` into the sorted `log`, each at its key. Live traffic is newer than everything
 * shown, so the usual batch is a binary search and an append: O(1) per message, plus the one
 * copy of the array every change makes. A repaired, late or history message costs a binary
 * search plus one pass over the entries after it.
 * Copies of a message already there (a history page overlapping live messages, the send result
 * and its echo) are left out.
 */
export function mergeEntries(log: readonly LogEntry[], added: readonly LogEntry[]): Merged {
  if (added.length === 0) return { log, inserted: [] };
  const sorted = isSorted(added) ? added : [...added].sort(byOrder);
  let i = lowerBound(log, (sorted[0] as LogEntry).order);
  const inserted: LogEntry[] = [];
  if (i === log.length) {
    // All newer than the log: only the batch itself can hold a copy. concat copies the log once
    // at its final size (a slice and pushes would copy it twice).
    for (const entry of sorted) if (!hasTwin(entry, log, i, inserted)) inserted.push(entry);
    return { log: inserted.length > 0 ? log.concat(inserted) : log, inserted };
  }
  // Only the stretch from the first to the last new key is rebuilt; the rest is copied as is.
  const start = i;
  const middle: LogEntry[] = [];
  for (const entry of sorted) {
    while (i < log.length && (log[i] as LogEntry).order < entry.order) middle.push(log[i++] as LogEntry);
    if (hasTwin(entry, log, i, middle)) continue;
    // Entries already there with the same key stay first.
    while (i < log.length && (log[i] as LogEntry).order === entry.order) middle.push(log[i++] as LogEntry);
    middle.push(entry);
    inserted.push(entry);
  }
  if (inserted.length === 0) return { log, inserted };
  // toSpliced copies the log once at its final size; a long stretch would be too many arguments for it.
  const next = middle.length <= SPLICE_ARGUMENTS ? log.toSpliced(start, i - start, ...middle) : log.slice(0, start).concat(middle, log.slice(i));
  return { log: next, inserted };
}

/** Trims the oldest tenth once the log is over the cap: copying a full log on every append would be too slow. */
export function capLog(log: readonly LogEntry[], cap = MESSAGE_CAP): readonly LogEntry[] {
  return log.length <= cap ? log : log.slice(log.length - Math.floor(cap * 0.9));
}
