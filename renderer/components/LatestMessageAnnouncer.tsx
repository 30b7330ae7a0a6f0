import type { LogEntry } from '../store/messages-slice.js';

/**
 * Screen readers hear the newest message from someone else. The virtualized list cannot be a
 * live region itself: rows appear and vanish while scrolling, and each would be announced.
 */
export function LatestMessageAnnouncer({ entries }: { entries: readonly LogEntry[] }) {
  const last = entries[entries.length - 1];
  let text = '';
  if (last && last.kind === 'system') text = last.text;
  else if (last && !last.own) text = last.kind === 'raw' ? `Raw datagram from ${last.src}: ${last.text}` : `${last.nick}: ${last.text}`;
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true">
      {text.length > 300 ? `${text.slice(0, 300)}…` : text}
    </div>
  );
}
