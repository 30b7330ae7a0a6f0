import { memo, type KeyboardEvent, type MouseEvent } from 'react';
import type { ChatMessage } from '../../shared/events.js';
import { describeTtl, ttlBadgeText } from '../../shared/ttl-scopes.js';
import { formatDateTime, formatDuration, formatTime, isoTime, shortPeerId } from '../lib/format.js';
import { inspectMessage, useIsInspected } from '../store/inspector-store.js';
import { entryKey } from '../store/messages-slice.js';
import { MessageText } from './MessageText.js';
import { ViaBadge } from './ViaBadge.js';

/** A click that follows a link or ends a text selection is about the text, not about opening the wire story. */
function opensInspector(event: MouseEvent<HTMLElement>): boolean {
  if (event.target instanceof Element && event.target.closest('a')) return false;
  const selection = window.getSelection();
  return selection === null || selection.isCollapsed;
}

/** One chat message or raw datagram in the log. Click it, or Enter on it, to open its wire story. */
export const MessageRow = memo(function MessageRow({ message }: { message: ChatMessage }) {
  const raw = message.kind === 'raw';
  const inspected = useIsInspected(message);
  const className = `message ${message.own ? 'message--own' : 'message--other'}${raw ? ' message--raw' : ''}${inspected ? ' message--inspected' : ''}`;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if ((event.key === 'Enter' || event.key === ' ') && event.target === event.currentTarget) {
      event.preventDefault();
      inspectMessage(message);
    }
  };
  return (
    <div
      className={className}
      data-message-key={entryKey(message)}
      // Reached with the arrow keys from the log (see row-focus.ts), not with Tab: one tab stop for the whole log.
      tabIndex={-1}
      onClick={(event) => {
        if (opensInspector(event)) inspectMessage(message);
      }}
      onKeyDown={onKeyDown}
    >
      <div className="message__meta">
        {raw ? (
          <>
            <span className="badge badge--raw">raw</span>
            <span className="message__src">{message.src}</span>
          </>
        ) : (
          <span className="message__nick" title={message.peerId ? `Peer ${message.peerId}` : undefined}>
            {message.nick}
            {message.own ? <span className="message__you"> (you)</span> : null}
            {!message.own && message.peerId ? <span className="message__peer"> #{shortPeerId(message.peerId)}</span> : null}
          </span>
        )}
        <time dateTime={isoTime(message.ts)} title={formatDateTime(message.ts)}>
          {formatTime(message.ts)}
        </time>
        {message.ttl !== null ? (
          <span className="badge badge--ttl" title={`Sent with ${describeTtl(message.ttl)}`}>
            {ttlBadgeText(message.ttl)}
          </span>
        ) : null}
        {message.fragments > 1 ? <span className="badge" title="Datagrams this message was carried in">{message.fragments} fragments</span> : null}
        <ViaBadge via={message.via} />
        {message.clockAheadMs !== undefined ? (
          <span className="badge badge--raw" title="The sender's clock is ahead of this computer's and no one else's agrees: shown where it arrived">
            sender's clock {formatDuration(message.clockAheadMs)} ahead
          </span>
        ) : null}
        {message.notSaved ? (
          <span className="badge badge--raw" title="Writing it to this room's history failed (is the disk full?): it will be missing after a restart">
            not saved
          </span>
        ) : null}
      </div>
      <p className="message__text">
        <MessageText text={message.text} />
      </p>
    </div>
  );
});
