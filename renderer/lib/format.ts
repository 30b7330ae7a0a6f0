// One formatter for every row: building an Intl formatter per message costs more than drawing it.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const numberFormat = new Intl.NumberFormat();

// A sender's clock is whatever the sender says: an absurd timestamp must not throw inside a row.
const isValidTime = (ts: number): boolean => Number.isFinite(ts) && Math.abs(ts) <= 8.64e15;

export const formatTime = (ts: number): string => (isValidTime(ts) ? timeFormat.format(ts) : '--:--:--');
export const formatDateTime = (ts: number): string => (isValidTime(ts) ? dateTimeFormat.format(ts) : 'unknown time');
export const isoTime = (ts: number): string | undefined => (isValidTime(ts) ? new Date(ts).toISOString() : undefined);
export const formatNumber = (n: number): string => numberFormat.format(n);

/** "90 s", "12 min", "23.9 h", "3.0 days": how far off a clock is, at a glance. */
export function formatDuration(ms: number): string {
  const s = Math.abs(ms) / 1000;
  if (!Number.isFinite(s)) return 'very far';
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7_200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${(s / 3_600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} days`;
}

/** Enough of a random peer id to tell two people with the same nickname apart. */
export const shortPeerId = (peerId: string): string => peerId.slice(0, 8);

export const endpoint = (room: { readonly group: string; readonly port: number }): string => `${room.group}:${room.port}`;

/** "just now", "5 s ago", "3 min ago", "2.5 h ago": how long since a peer was last heard. */
export function formatAgo(ms: number): string {
  if (ms < 2_000) return 'just now';
  return `${formatDuration(ms)} ago`;
}
