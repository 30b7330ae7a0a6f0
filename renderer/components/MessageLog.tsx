import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type UIEvent } from 'react';
import { useLogWindow } from '../hooks/use-log-window.js';
import { continuesGroup } from '../lib/log-groups.js';
import { moveRowFocus } from '../lib/row-focus.js';
import { loadOlderHistory } from '../store/history-actions.js';
import { MESSAGE_CAP, upperBound } from '../store/log-order.js';
import { entryKey } from '../store/messages-slice.js';
import { useRoom, useRoomHistory, useRoomLog } from '../store/selectors.js';
import { HistoryStatus } from './HistoryStatus.js';
import { LatestMessageAnnouncer } from './LatestMessageAnnouncer.js';
import { MessageRow } from './MessageRow.js';
import { NewMessagesButton } from './NewMessagesButton.js';
import { SystemRow } from './SystemRow.js';

/** Closer to the bottom than this (CSS px) still counts as "following the conversation". */
const BOTTOM_SLACK = 48;
/** A scroll this soon after the user's wheel, key or touch is the user's (smooth scrolling takes a while). */
const USER_SCROLL_MS = 1_000;

/**
 * The room's log, virtualized: only the rows on screen exist in the DOM, and the virtualizer
 * itself sees only a window over the newest entries that grows as the user scrolls up to its top,
 * so a room with 100,000 messages opens and appends as fast as one with a thousand. Rows measure themselves
 * (messages wrap to any height). The view follows new messages while it is at the bottom and
 * stops as soon as the user (wheel, keys, touch, scrollbar) scrolls up; within a screen of the top it takes older entries
 * into the window, and once they are all in, asks for the previous page of the stored history, and the rows in view stay put while the page goes in above them.
 * The first message is one action away whatever the window: Home (or the scrollbar dragged to
 * the very top) takes every entry in and stays at the oldest while older pages of the stored
 * history go in, until the user scrolls; End goes back to the latest.
 */
export function MessageLog({ roomId }: { roomId: string }) {
  const entries = useRoomLog(roomId);
  const room = useRoom(roomId);
  const history = useRoomHistory(roomId);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The newest key in the log when the user scrolled away from the bottom; null while following.
  // A key, not a count: history pages and late messages go in above it and are not "new".
  const [leftAt, setLeftAt] = useState<string | null>(null);
  // The same fact for the resize observer, which must not re-subscribe on every scroll.
  const followingRef = useRef(true);
  // scrollTop at the last scroll event, to tell which way the view moved.
  const lastTopRef = useRef(0);
  // Until when a scroll counts as the user's, and whether a pointer holds the scrollbar.
  const userUntilRef = useRef(0);
  const pointerDownRef = useRef(false);
  // After Home: the view stays on the oldest entry while older ones go in, until the user scrolls.
  const toOldestRef = useRef(false);
  // The view at the very top: the effect below takes the next step back from there.
  const [atTop, setAtTop] = useState(false);

  const { start, extend, trim, showAll } = useLogWindow(entries);
  // One function for the log's whole life: a new one would make the virtualizer measure every
  // row again. It reads the entries of the render the virtualizer is being updated in.
  const windowRef = useRef({ entries, start });
  // Written during render on purpose: getItemKey reads it while this same render updates the virtualizer.
  windowRef.current = { entries, start };
  const getItemKey = useCallback((index: number) => {
    const { entries: log, start: from } = windowRef.current;
    const entry = log[from + index];
    return entry ? entryKey(entry) : index;
  }, []);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read fresh every render on purpose; nothing here is memoized by the compiler.
  const virtualizer = useVirtualizer({
    count: entries.length - start,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    getItemKey,
    overscan: 8,
    // Keeps the rows in view where they are when rows go in above them (an older page).
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: BOTTOM_SLACK,
    // useFlushSync stays on (the default): with it off, reading the log down half a screen at a
    // time missed a row (the reload test in tests/e2e), so rows were not where the scroll said.
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

  const canLoadOlder = history?.status === 'idle' && typeof history.before === 'number';

  // Following the conversation, the window goes back to the newest entries now and then, so a
  // stream of messages never makes it (and the virtualizer's work on each change) grow for ever.
  useEffect(() => {
    if (followingRef.current) trim();
  }, [entries, trim]);

  // A repaired message or a loss marker goes in above the newest entry, where the virtualizer
  // keeps the top row still and lets the end slide down out of view (it follows appends only).
  // Following the conversation means staying at its end, unless the user is scrolling just now.
  useLayoutEffect(() => {
    if (followingRef.current && !toOldestRef.current && performance.now() >= userUntilRef.current) virtualizer.scrollToEnd();
  }, [entries, virtualizer]);

  // Home holds the view on the first entry: again after every change (a page of history went in
  // above, the window took the rest in), as a command the virtualizer keeps to while rows measure.
  useLayoutEffect(() => {
    if (toOldestRef.current) virtualizer.scrollToIndex(0, { align: 'start' });
  }, [entries, start, virtualizer]);

  // At the very top no scroll event can come any more (the view cannot move further up), so the
  // next step back is taken here, after each change, not only from onScroll: a window that grew
  // without its rows staying in view (or a user who went to the top) would otherwise stop there,
  // with older entries that no scrolling can reach.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || el.clientHeight === 0 || followingRef.current) return;
    if (!toOldestRef.current && el.scrollTop > 1) return;
    if (start > 0) extend();
    // Not past what the log keeps: Home in a huge stored history stops at the cap.
    else if (canLoadOlder && entries.length < MESSAGE_CAP) void loadOlderHistory(roomId);
  }, [canLoadOlder, entries.length, start, roomId, extend, leftAt, atTop]);

  // A log too short to scroll never reaches "near the top" by scrolling: fill the view instead.
  useEffect(() => {
    const el = scrollRef.current;
    // A log with no height yet (not laid out) says nothing about whether it is full.
    if (el && canLoadOlder && start === 0 && el.clientHeight > 0 && el.scrollHeight <= el.clientHeight) void loadOlderHistory(roomId);
  }, [canLoadOlder, entries.length, start, roomId]);

  const noteUserScroll = () => {
    userUntilRef.current = performance.now() + USER_SCROLL_MS;
    toOldestRef.current = false;
  };

  /** The first message, in one action: every entry in the window, the view on the oldest. */
  const goToOldest = () => {
    followingRef.current = false;
    toOldestRef.current = true;
    setLeftAt((before) => before ?? entries[entries.length - 1]?.order ?? '');
    showAll();
    virtualizer.scrollToIndex(0, { align: 'start' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const plain = !event.altKey && !event.shiftKey && !event.metaKey;
    if (plain && event.key === 'Home') {
      event.preventDefault();
      noteUserScroll();
      goToOldest();
    } else if (plain && event.key === 'End') {
      event.preventDefault();
      noteUserScroll();
      jumpToLatest();
    } else if (plain && !event.ctrlKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown') && moveRowFocus(event.currentTarget, event.key === 'ArrowUp' ? -1 : 1)) {
      // Arrows move between messages (Enter opens one's wire story); Page Up/Down still scroll.
      event.preventDefault();
      noteUserScroll();
    } else {
      noteUserScroll();
    }
  };

  const onPointerDown = () => {
    // A drag of the scrollbar scrolls for as long as the button is held, wherever it is let go.
    pointerDownRef.current = true;
    noteUserScroll();
    window.addEventListener('pointerup', () => (pointerDownRef.current = false), { once: true });
  };

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const el = event.currentTarget;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
    const movedUp = el.scrollTop < lastTopRef.current;
    lastTopRef.current = el.scrollTop;
    const byUser = pointerDownRef.current || performance.now() < userUntilRef.current;
    if (atBottom) {
      followingRef.current = true;
      setLeftAt(null);
    } else if (byUser && movedUp) {
      followingRef.current = false;
      setLeftAt((before) => before ?? entries[entries.length - 1]?.order ?? '');
    } else if (followingRef.current) {
      // Scroll events also come from the virtualizer correcting for rows measured another size
      // than estimated, in either direction: only the user leaves the bottom, so go back to it.
      virtualizer.scrollToEnd();
    }
    // A screen ahead of the top, so the page is usually in before the user gets there. Asked
    // after this event: React hears a scroll before the virtualizer does, and a page answered at
    // once would go in while the virtualizer still keeps the rows at the old position in view.
    // Older entries already in memory go into the window first; the stored history comes after.
    setAtTop(el.scrollTop <= 1);
    // The scrollbar dragged to its very top means the top of the room, not of the window.
    if (pointerDownRef.current && el.scrollTop <= 1 && start > 0 && !toOldestRef.current) {
      goToOldest();
    } else if (el.scrollTop > 1 && el.scrollTop < el.clientHeight) {
      // (At the very top, the effect above takes the step, after this scroll has been rendered.)
      if (start > 0) setTimeout(extend, 0);
      else if (canLoadOlder) setTimeout(() => void loadOlderHistory(roomId), 0);
    }
  };

  const jumpToLatest = () => {
    toOldestRef.current = false;
    followingRef.current = true;
    setLeftAt(null);
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
        onWheel={noteUserScroll}
        onKeyDown={onKeyDown}
        onTouchMove={noteUserScroll}
        onPointerDown={onPointerDown}
      >
        {entries.length === 0 ? (
          <p className="log__empty">No messages yet. Say hello, or run the lecture's Python sender against {room ? `${room.group}:${room.port}` : 'this group'}.</p>
        ) : null}
        <div className="log__sizer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const entry = entries[start + item.index];
            if (!entry) return null;
            const previous = entries[start + item.index - 1];
            const continued = entry.kind !== 'system' && continuesGroup(previous, entry);
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                role="listitem"
                aria-posinset={start + item.index + 1}
                aria-setsize={entries.length}
                className={continued ? 'log__row log__row--continued' : 'log__row'}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {entry.kind === 'system' ? <SystemRow entry={entry} /> : <MessageRow message={entry} continued={continued} showTtl={!continued || (previous?.kind !== 'system' && previous?.ttl !== entry.ttl)} />}
              </div>
            );
          })}
        </div>
      </div>
      <HistoryStatus state={history} onRetry={() => void loadOlderHistory(roomId)} />
      {leftAt !== null ? <NewMessagesButton unseen={entries.length - upperBound(entries, leftAt)} onClick={jumpToLatest} /> : null}
      <LatestMessageAnnouncer entries={entries} />
    </div>
  );
}
