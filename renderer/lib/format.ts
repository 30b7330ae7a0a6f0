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

/** Enough of a random peer id to tell two people with the same nickname apart. */
export const shortPeerId = (peerId: string): string => peerId.slice(0, 8);

export const endpoint = (room: { readonly group: string; readonly port: number }): string => `${room.group}:${room.port}`;
