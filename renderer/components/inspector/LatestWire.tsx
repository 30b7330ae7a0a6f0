import type { ChatMessage, RoomSnapshot } from '../../../shared/events.js';
import type { LogEntry } from '../../store/messages-slice.js';
import { useChatStore } from '../../store/store.js';
import { WireStoryView } from './WireStoryView.js';

/** The datagrams of a busy room's newest message are asked for once it has been newest this long. */
const SETTLE_MS = 250;

function newestMessage(log: readonly LogEntry[] | undefined): ChatMessage | null {
  if (!log) return null;
  for (let i = log.length - 1; i >= 0; i--) {
    const entry = log[i];
    if (entry && (entry.kind === 'chat' || entry.kind === 'raw')) return entry;
  }
  return null;
}

/** Presenter mode's third column: the newest message of the room on the wire, large, for the class to read. */
export function LatestWire({ room }: { room: RoomSnapshot }) {
  const message = useChatStore((s) => newestMessage(s.rooms[room.roomId]?.log));
  return (
    <section className="inspector inspector--compact" aria-labelledby="latest-wire-title">
      <div className="inspector__head">
        <h2 id="latest-wire-title" className="inspector__title">
          On the wire: the latest message
        </h2>
      </div>
      {message ? (
        <>
          <blockquote className="inspector__quote">
            {message.kind === 'raw' ? `raw from ${message.src}` : message.own ? 'you' : message.nick}: {message.text}
          </blockquote>
          <WireStoryView message={message} room={room} compact delayMs={SETTLE_MS} follow />
        </>
      ) : (
        <p className="hint">Nothing said here yet: send a message and it shows here as it went on the wire.</p>
      )}
    </section>
  );
}
