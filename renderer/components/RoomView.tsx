import { useRef, useState } from 'react';
import { useRoom } from '../store/selectors.js';
import { Composer } from './Composer.js';
import { HistorySearch } from './HistorySearch.js';
import { MessageLog } from './MessageLog.js';
import { RoomHeader } from './RoomHeader.js';
import { RoomNotices } from './RoomNotices.js';

/** The open room: header, search (when open), log, composer. App keys it by room, so scroll position and draft start fresh. */
export function RoomView({ roomId }: { roomId: string }) {
  const room = useRoom(roomId);
  const [searching, setSearching] = useState(false);
  const searchButton = useRef<HTMLButtonElement>(null);
  if (!room) return null;
  const closeSearch = () => {
    setSearching(false);
    // Focus goes back where it came from rather than to the page.
    searchButton.current?.focus();
  };
  return (
    <section className="room-view" aria-labelledby="room-title">
      <RoomHeader room={room} searching={searching} searchButton={searchButton} onToggleSearch={() => (searching ? closeSearch() : setSearching(true))} />
      <RoomNotices roomId={roomId} roomName={room.name} />
      {searching ? <HistorySearch roomId={roomId} roomName={room.name} onClose={closeSearch} /> : null}
      <MessageLog roomId={roomId} />
      <Composer roomId={roomId} />
    </section>
  );
}
