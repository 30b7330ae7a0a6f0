import type { RoomStatus } from '../../shared/events.js';

const LABELS: Record<RoomStatus, string> = { joining: 'joining…', joined: 'joined', reconnecting: 'reconnecting…', leaving: 'leaving…', error: 'not joined', left: 'left' };

/** The room's state as a word in a pill; the colour only repeats what the word says. */
export function RoomStatusBadge({ status }: { status: RoomStatus }) {
  return <span className={`status-badge status-badge--${status}`}>{LABELS[status]}</span>;
}
