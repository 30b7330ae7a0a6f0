import { useState, type RefObject } from 'react';
import type { RoomSnapshot } from '../../shared/events.js';
import { endpoint } from '../lib/format.js';
import { leaveRoom } from '../lib/leave.js';
import { ConfirmLeave } from './ConfirmLeave.js';
import { usePresenter } from '../store/inspector-store.js';
import { LockIcon } from './LockIcon.js';
import { RoomStatusBadge } from './RoomStatusBadge.js';
import { TtlPicker } from './TtlPicker.js';

interface Props {
  readonly room: RoomSnapshot;
  readonly searching: boolean;
  readonly searchButton: RefObject<HTMLButtonElement | null>;
  readonly onToggleSearch: () => void;
}

/** Name, group and TTL of the open room, the search over its history, and the way out of it. */
export function RoomHeader({ room, searching, searchButton, onToggleSearch }: Props) {
  const [leaving, setLeaving] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // On a projector the key id stays off the screen: the lock says the room is private, not which key.
  const presenter = usePresenter();

  const leave = async () => {
    setConfirming(false);
    setLeaving(true);
    const left = await leaveRoom(room);
    // Gone from the page when it worked.
    if (!left) setLeaving(false);
  };
  // Undo would need the passphrase again, which the window does not keep: ask first instead.
  const onLeave = () => (room.encrypted ? setConfirming(true) : void leave());

  return (
    <div className="room-header">
      <div className="room-header__title">
        <h2 id="room-title">{room.name}</h2>
        <span className="room-header__endpoint">{endpoint(room)}</span>
        {room.encrypted ? <LockIcon text={room.keyId && !presenter ? `key ${room.keyId}` : 'private'} code={room.keyId !== null && !presenter} /> : null}
        <RoomStatusBadge status={room.status} />
        <button ref={searchButton} type="button" className="button button--quiet room-header__search" aria-expanded={searching} onClick={onToggleSearch}>
          Search
        </button>
        <button type="button" className="button button--quiet" onClick={onLeave} disabled={leaving}>
          Leave room
        </button>
        {confirming ? <ConfirmLeave roomName={room.name} onLeave={() => void leave()} onCancel={() => setConfirming(false)} /> : null}
      </div>
      <TtlPicker room={room} />
    </div>
  );
}
