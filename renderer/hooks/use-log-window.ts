import { useCallback, useRef, useState } from 'react';
import { lowerBound } from '../store/log-order.js';
import type { LogEntry } from '../store/messages-slice.js';

/**
 * How many of the newest entries the log's virtualizer sees at first, and how many more each step
 * up adds. The virtualizer does work in proportion to the entries it is given on every change
 * (it measures them all again when the newest key changes), so a room of 100,000 messages is
 * given the newest thousand or two, not all of them.
 */
export const LOG_WINDOW = 1_000;

export interface LogWindow {
  /** Index in the room's log of the first entry in the window. */
  readonly start: number;
  /** Takes LOG_WINDOW more of the older entries in; false when the window already starts at the oldest. */
  readonly extend: () => boolean;
  /** Back to the newest LOG_WINDOW entries, once the window has grown past twice that. */
  readonly trim: () => void;
  /**
   * Takes every entry in, from the oldest: for the one action that goes to the first message
   * (Home, the scrollbar dragged to the top). Costs the virtualizer work in proportion to the
   * whole log on each change until `trim` shrinks the window again back at the bottom.
   */
  readonly showAll: () => void;
}

/** The first key of the window, or null for "from the oldest entry" (pages of history go in above it). */
const keyAt = (entries: readonly LogEntry[], index: number): string | null => (index > 0 ? (entries[index]?.order ?? null) : null);

/**
 * A window over the newest entries of a room's log that grows when the user scrolls up to its top.
 * Held as the key of its first entry, not an index, so messages going in above it (late ones,
 * history pages) do not move it, and the newest ones make it grow at the bottom.
 */
export function useLogWindow(entries: readonly LogEntry[]): LogWindow {
  const [startKey, setStartKey] = useState<string | null>(() => keyAt(entries, entries.length - LOG_WINDOW));
  const start = startKey === null ? 0 : lowerBound(entries, startKey);
  // extend and trim run from timers and effects: they read the log as it was last drawn.
  const latest = useRef({ entries, start });
  // eslint-disable-next-line react-hooks/refs -- kept in step with each render on purpose, for callbacks that must stay the same function.
  latest.current = { entries, start };

  const extend = useCallback((): boolean => {
    const { entries: log, start: from } = latest.current;
    if (from === 0) return false;
    setStartKey(keyAt(log, from - LOG_WINDOW));
    return true;
  }, []);

  const trim = useCallback(() => {
    const { entries: log, start: from } = latest.current;
    if (log.length - from > 2 * LOG_WINDOW) setStartKey(keyAt(log, log.length - LOG_WINDOW));
  }, []);

  const showAll = useCallback(() => setStartKey(null), []);

  return { start, extend, trim, showAll };
}
