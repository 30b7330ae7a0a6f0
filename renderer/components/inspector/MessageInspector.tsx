import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { ChatMessage, RoomSnapshot } from '../../../shared/events.js';
import { inspectorTitle } from '../../lib/wire-facts.js';
import { focusMessageRow } from '../../lib/row-focus.js';
import { closeInspector } from '../../store/inspector-store.js';
import { WireStoryView } from './WireStoryView.js';

/**
 * The wire story of the message picked in the log, in place of the room details. Not modal: the
 * log stays usable, and picking another message shows that one. Escape or Close puts focus back
 * on the message's row.
 */
export function MessageInspector({ message, room, compact }: { message: ChatMessage; room: RoomSnapshot; compact: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const messageKey = `${message.kind}:${message.peerId ?? ''}:${message.id}`;

  // A newly picked message: its story is read from the top, by eyes and by screen readers.
  useEffect(() => {
    heading.current?.focus();
  }, [messageKey]);

  const close = () => {
    closeInspector();
    focusMessageRow(message);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  };

  return (
    <section className={`inspector${compact ? ' inspector--compact' : ''}`} aria-labelledby="inspector-title" onKeyDown={onKeyDown}>
      <div className="inspector__head">
        <h2 id="inspector-title" ref={heading} tabIndex={-1} className="inspector__title">
          Wire story: {inspectorTitle(message)}
        </h2>
        <button type="button" className="button button--quiet" onClick={close} aria-label="Close the wire story">
          Close
        </button>
      </div>
      <blockquote className="inspector__quote">{message.text}</blockquote>
      <WireStoryView message={message} room={room} compact={compact} />
    </section>
  );
}
