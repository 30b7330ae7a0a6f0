import { useRoom } from '../store/selectors.js';
import { Composer } from './Composer.js';
import { MessageLog } from './MessageLog.js';
import { RoomHeader } from './RoomHeader.js';

/** The open room: header, log, composer. App keys it by room, so scroll position and draft start fresh. */
export function RoomView({ roomId }: { roomId: string }) {
  const room = useRoom(roomId);
  if (!room) return null;
  return (
    <section className="room-view" aria-labelledby="room-title">
      <RoomHeader room={room} />
      <MessageLog roomId={roomId} />
      <Composer roomId={roomId} />
    </section>
  );
}
