import { memo, type KeyboardEvent, type MouseEvent } from 'react';
import type { ChatMessage } from '../../shared/events.js';
import { describeTtl, ttlScopeName } from '../../shared/ttl-scopes.js';
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

/** The scope on the badge ("subnet", "site"); the number where the scope has no name of its own. */
export function ttlBadge(ttl: number): string {
  const scope = ttlScopeName(ttl);
  return scope === 'custom' ? `TTL ${ttl}` : scope;
}

/** What the row does not show, one hover away (the inspector has it all). */
function details(message: ChatMessage): string {
  return [formatDateTime(message.ts), message.ttl !== null ? `TTL ${message.ttl}` : null, message.seq !== null ? `seq ${message.seq}` : null, `id ${message.id}`]
    .filter(Boolean)
    .join(' · ');
}

interface Props {
  readonly message: ChatMessage;
  /** Under the header of the sender's previous message: no nick and time of its own. */
  readonly continued?: boolean;
  /** The TTL badge; in a group only where the TTL changed. */
  readonly showTtl?: boolean;
}

/** One chat message or raw datagram in the log. Click it, or Enter on it, to open its wire story. */
export const MessageRow = memo(function MessageRow({ message, continued = false, showTtl = true }: Props) {
  const raw = message.kind === 'raw';
  const inspected = useIsInspected(message);
  const className = `message ${message.own ? 'message--own' : 'message--other'}${raw ? ' message--raw' : ''}${inspected ? ' message--inspected' : ''}${continued ? ' message--continued' : ''}`;
  const badges = (
    <>
      {message.ttl !== null && showTtl ? (
        <span className="badge badge--ttl" title={`Sent with ${describeTtl(message.ttl)}`}>
          {ttlBadge(message.ttl)}
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
    </>
  );
  const who = raw ? `raw datagram from ${message.src}` : `${message.nick ?? ''}${message.own ? ' (you)' : ''}`;
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
      title={details(message)}
      onClick={(event) => {
        if (opensInspector(event)) inspectMessage(message);
      }}
      onKeyDown={onKeyDown}
    >
      {continued ? (
        // Screen readers hear who and when on every message; the eye gets them once per group.
        <>
          <span className="visually-hidden">
            {who}, {formatTime(message.ts)}:{' '}
          </span>
          <span className="message__side">{badges}</span>
        </>
      ) : (
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
          {badges}
        </div>
      )}
      <p className="message__text">
        <MessageText text={message.text} />
      </p>
    </div>
  );
});
