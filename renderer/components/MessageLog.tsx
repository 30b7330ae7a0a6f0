import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type UIEvent } from 'react';
import { entryKey } from '../store/messages-slice.js';
import { useRoom, useRoomLog } from '../store/selectors.js';
import { LatestMessageAnnouncer } from './LatestMessageAnnouncer.js';
import { MessageRow } from './MessageRow.js';
import { NewMessagesButton } from './NewMessagesButton.js';
import { SystemRow } from './SystemRow.js';

/** Closer to the bottom than this (CSS px) still counts as "following the conversation". */
const BOTTOM_SLACK = 48;

/**
 * The room's log, virtualized: only the rows on screen exist in the DOM, so a room with
 * 100,000 messages scrolls and appends as fast as one with ten. Rows measure themselves
 * (messages wrap to any height). The view follows new messages while it is at the bottom and
 * stops as soon as the user scrolls up.
 */
export function MessageLog({ roomId }: { roomId: string }) {
  const entries = useRoomLog(roomId);
  const room = useRoom(roomId);
  const scrollRef = useRef<HTMLDivElement>(null);
  // Where the log ended when the user scrolled away from the bottom; null while following.
  const [leftAtCount, setLeftAtCount] = useState<number | null>(null);
  // The same fact for the resize observer, which must not re-subscribe on every scroll.
  const followingRef = useRef(true);

  const getItemKey = useCallback((index: number) => {
    const entry = entries[index];
    return entry ? entryKey(entry) : index;
  }, [entries]);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read fresh every render on purpose; nothing here is memoized by the compiler.
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    getItemKey,
    overscan: 8,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: BOTTOM_SLACK,
  });

  // A room opens at its latest message, like every chat.
  useLayoutEffect(() => {
    virtualizer.scrollToEnd();
  }, [virtualizer]);

  // The viewport shrinks when the composer grows or an error appears under it; no scroll event
  // says so, and the virtualizer only follows appends, so keep the newest line in view here.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (followingRef.current) virtualizer.scrollToEnd();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [virtualizer]);

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const el = event.currentTarget;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
    followingRef.current = atBottom;
    setLeftAtCount((before) => (atBottom ? null : (before ?? entries.length)));
  };

  const jumpToLatest = () => {
    followingRef.current = true;
    setLeftAtCount(null);
    virtualizer.scrollToEnd();
    scrollRef.current?.focus();
  };

  const items = virtualizer.getVirtualItems();
  const name = room?.name ?? 'this room';

  return (
    <div className="log">
      <div
        ref={scrollRef}
        className="log__scroller"
        role="list"
        aria-label={`Messages in ${name}`}
        tabIndex={0}
        onScroll={onScroll}
      >
        {entries.length === 0 ? (
          <p className="log__empty">No messages yet. Say hello, or run the lecture's Python sender against {room ? `${room.group}:${room.port}` : 'this group'}.</p>
        ) : null}
        <div className="log__sizer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const entry = entries[item.index];
            if (!entry) return null;
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                role="listitem"
                aria-posinset={item.index + 1}
                aria-setsize={entries.length}
                className="log__row"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {entry.kind === 'system' ? <SystemRow entry={entry} /> : <MessageRow message={entry} />}
              </div>
            );
          })}
        </div>
      </div>
      {leftAtCount !== null ? <NewMessagesButton unseen={Math.max(0, entries.length - leftAtCount)} onClick={jumpToLatest} /> : null}
      <LatestMessageAnnouncer entries={entries} />
    </div>
  );
}
