import type { ChatMessage } from '../../shared/events.js';
import type { LogEntry } from '../store/messages-slice.js';

/** Messages from one sender this close together share one header (nick and time once). */
export const GROUP_MS = 5 * 60_000;

function senderKey(message: ChatMessage): string {
  if (message.kind === 'raw') return `raw ${message.src}`;
  if (message.own) return 'own';
  return `peer ${message.peerId ?? ''} ${message.nick ?? ''}`;
}

/** Whether `entry` goes under the header of the message before it rather than getting its own. */
export function continuesGroup(previous: LogEntry | undefined, entry: ChatMessage): boolean {
  if (!previous || previous.kind === 'system') return false;
  if (senderKey(previous) !== senderKey(entry)) return false;
  const gap = entry.ts - previous.ts;
  return gap >= 0 && gap <= GROUP_MS;
}
