import type { ChatMessage, GapReport } from '../../shared/events.js';

/** A line the app writes into a room's log itself (peer joined, room joined, messages lost, ...). */
export interface SystemEntry {
  readonly kind: 'system';
  readonly id: string;
  readonly text: string;
  readonly ts: number;
  readonly tone: 'info' | 'warning' | 'error';
  /** Sorts with the messages' keys: just after the entry that was newest when the line was written. */
  readonly order: string;
  /** A loss marker: the run of missing messages it stands for, replaced in place as the core updates it. */
  readonly gap?: GapReport;
}

export type LogEntry = ChatMessage | SystemEntry;

// Entries are never mutated, so a key is worked out once per entry: the log's virtualizer asks
// for thousands of keys on every change, and a fresh template string each time showed in profiles.
const keys = new WeakMap<LogEntry, string>();

/** Stable across trims and inserts, unique within a room (ids of different senders could in theory collide). */
export function entryKey(entry: LogEntry): string {
  let key = keys.get(entry);
  if (key === undefined) {
    key = entry.kind === 'system' ? `s:${entry.id}` : `${entry.kind}:${entry.peerId ?? ''}:${entry.id}`;
    keys.set(entry, key);
  }
  return key;
}
