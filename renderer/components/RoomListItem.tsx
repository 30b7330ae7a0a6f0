import type { KeyboardEvent } from 'react';
import type { RoomStatus } from '../../shared/events.js';
import { endpoint } from '../lib/format.js';
import { requestComposerFocus } from '../lib/focus-request.js';
import { selectRoom } from '../store/actions.js';
import { useRoom, useUnread } from '../store/selectors.js';
import { LockIcon } from './LockIcon.js';

const STATUS_LABELS: Partial<Record<RoomStatus, string>> = { joining: 'joining…', reconnecting: 'reconnecting…', error: 'not joined' };

interface Props {
  readonly roomId: string;
  readonly selected: boolean;
  readonly focusable: boolean;
  readonly position: number;
  readonly onKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => void;
}

export function RoomListItem({ roomId, selected, focusable, position, onKeyDown }: Props) {
  const room = useRoom(roomId);
  const unread = useUnread(roomId);
  if (!room) return null;
  return (
    <li className="room-list__item">
      <button
        type="button"
        className={`room-button${selected ? ' room-button--selected' : ''}`}
        aria-current={selected ? 'true' : undefined}
        // One tab stop for the whole list; arrow keys move inside it.
        tabIndex={focusable ? 0 : -1}
        data-room-id={roomId}
        onClick={() => {
          selectRoom(roomId);
          requestComposerFocus(roomId);
        }}
        onKeyDown={onKeyDown}
        title={position < 9 ? `Ctrl+${position + 1}` : undefined}
      >
        <span className="room-button__name">
          {room.encrypted ? <LockIcon /> : null}
          {room.name}
        </span>
        <span className="room-button__endpoint">{endpoint(room)}</span>
        {STATUS_LABELS[room.status] ? <span className={`room-button__status room-button__status--${room.status}`}>{STATUS_LABELS[room.status]}</span> : null}
        {unread > 0 ? (
          <span className="unread-badge">
            {unread > 999 ? '999+' : unread}
            <span className="visually-hidden"> unread</span>
          </span>
        ) : null}
      </button>
    </li>
  );
}
