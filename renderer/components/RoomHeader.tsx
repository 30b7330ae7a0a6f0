import { useState } from 'react';
import type { RoomSnapshot } from '../../shared/events.js';
import { invoke } from '../api.js';
import { endpoint } from '../lib/format.js';
import { addNotice, removeRoom } from '../store/actions.js';
import { RoomStatusBadge } from './RoomStatusBadge.js';
import { TtlPicker } from './TtlPicker.js';

/** Name, group and TTL of the open room, and the way out of it. */
export function RoomHeader({ room }: { room: RoomSnapshot }) {
  const [leaving, setLeaving] = useState(false);

  const leave = async () => {
    setLeaving(true);
    const result = await invoke((api) => api.leaveRoom(room.roomId));
    setLeaving(false);
    if (result.ok) removeRoom(room.roomId);
    else addNotice('error', result.error.message);
  };

  return (
    <div className="room-header">
      <div className="room-header__title">
        <h2 id="room-title">{room.name}</h2>
        <span className="room-header__endpoint">{endpoint(room)}</span>
        <RoomStatusBadge status={room.status} />
        <button type="button" className="button button--quiet room-header__leave" onClick={() => void leave()} disabled={leaving}>
          Leave room
        </button>
      </div>
      <TtlPicker room={room} />
    </div>
  );
}
