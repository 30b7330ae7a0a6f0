import { memo } from 'react';
import type { ChatMessage } from '../../shared/events.js';
import { describeTtl, ttlBadgeText } from '../../shared/ttl-scopes.js';
import { formatDateTime, formatDuration, formatTime, isoTime, shortPeerId } from '../lib/format.js';
import { MessageText } from './MessageText.js';
import { ViaBadge } from './ViaBadge.js';

/** One chat message or raw datagram in the log. */
export const MessageRow = memo(function MessageRow({ message }: { message: ChatMessage }) {
  const raw = message.kind === 'raw';
  const className = `message ${message.own ? 'message--own' : 'message--other'}${raw ? ' message--raw' : ''}`;
  return (
    <div className={className}>
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
