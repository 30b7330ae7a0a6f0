import type { ChatMessage } from '../../shared/events.js';

/** A line the app writes into a room's log itself (peer joined, room joined, ...). */
export interface SystemEntry {
  readonly kind: 'system';
  readonly id: string;
  readonly text: string;
  readonly ts: number;
  readonly tone: 'info' | 'warning' | 'error';
}

export type LogEntry = ChatMessage | SystemEntry;

export interface MessagesSlice {
  /** Per room, oldest first. Arrays are replaced on every change, never mutated. */
  readonly logs: Readonly<Record<string, readonly LogEntry[]>>;
}

export const initialMessagesSlice = (): MessagesSlice => ({ logs: {} });

/** Bounds memory for a room left open for days; the oldest lines go first. */
export const MESSAGE_CAP = 200_000;
export function appendCapped(log: readonly LogEntry[], added: readonly LogEntry[], cap = MESSAGE_CAP): readonly LogEntry[] {
  if (added.length === 0) return log;
  const next = log.concat(added);
  if (next.length <= cap) return next;
  // Trimming a tenth at a time, not one line per append, keeps copying a full log rare.
  return next.slice(next.length - Math.floor(cap * 0.9));
}

/** Stable across trims and unique within a room (ids of different senders could in theory collide). */
export function entryKey(entry: LogEntry): string {
  return entry.kind === 'system' ? `s:${entry.id}` : `${entry.kind}:${entry.peerId ?? ''}:${entry.id}`;
}

// The send result and the core's echo of the same message arrive in either order, close together:
// looking back this far finds the twin without an index over 200,000 lines.
const OWN_LOOKBACK = 2_000;

export function hasOwnMessage(log: readonly LogEntry[], message: ChatMessage): boolean {
  const stop = Math.max(0, log.length - OWN_LOOKBACK);
  for (let i = log.length - 1; i >= stop; i--) {
    const entry = log[i];
    if (entry && entry.kind !== 'system' && entry.own && entry.id === message.id) return true;
  }
  return false;
}
