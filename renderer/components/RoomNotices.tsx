import { useMemo, useState } from 'react';
import { refusalSourcesText } from '../../shared/refusal-text.js';
import { roomNoticeText } from '../lib/notice-text.js';
import type { Notice } from '../store/notices-slice.js';
import { dismissNotices } from '../store/actions.js';
import { useChatStore } from '../store/store.js';
import { NoticeAnnouncer } from './NoticeAnnouncer.js';

const SHORT_WINDOW = '(max-height: 30rem)';

/**
 * The open room's notices (a passphrase that does not match, unencrypted datagrams, history that
 * cannot be saved): in the room they are about, one line each, and folded to a single line on
 * request, so they never take the log's place. Leaving the room drops them.
 */
export function RoomNotices({ roomId, roomName }: { roomId: string; roomName: string }) {
  const all = useChatStore((s) => s.notices);
  const notices = useMemo(() => all.filter((n) => n.roomId === roomId), [all, roomId]);
  // A short window (200 % zoom, a small laptop) starts with them folded to one line: the log and header come first.
  const [folded, setFolded] = useState(() => typeof window.matchMedia === 'function' && window.matchMedia(SHORT_WINDOW).matches);
  const latest = notices[notices.length - 1];
  const ids = notices.map((n) => n.id);
  const listId = `room-notices-${roomId}`;
  return (
    <div className="room-notices">
      <NoticeAnnouncer latest={latest} prefix={`${roomName}: `} />
      {notices.length > 0 ? (
        <>
          <div className="room-notices__bar">
            <button type="button" className="button button--quiet room-notices__toggle" aria-expanded={!folded} aria-controls={listId} onClick={() => setFolded(!folded)}>
              <span aria-hidden="true">{folded ? '▸' : '▾'}</span> {notices.length === 1 ? '1 notice' : `${notices.length} notices`}
            </button>
            {folded && latest ? (
              <span className={`room-notices__latest notice-line--${latest.level}`} title={fullText(latest)}>
                {roomNoticeText(latest)}
              </span>
            ) : null}
            <button type="button" className="button button--quiet room-notices__clear" onClick={() => dismissNotices(ids)} aria-label={`Dismiss all notices in ${roomName}`}>
              Dismiss all
            </button>
          </div>
          {folded ? null : (
            <ul id={listId} className="notice-lines" aria-label={`Notices in ${roomName}`}>
              {notices.map((notice) => {
                const text = roomNoticeText(notice);
                return (
                  <li key={notice.id} className={`notice-line notice-line--${notice.level}`}>
                    <span className="notice-line__text" title={fullText(notice)}>
                      {text}
                    </span>
                    {notice.count > 1 ? (
                      <span className="notice-line__count">
                        ×{notice.count}
                        <span className="visually-hidden"> times</span>
                      </span>
                    ) : null}
                    <button type="button" className="button button--quiet notice-line__dismiss" onClick={() => dismissNotices([notice.id])} aria-label={`Dismiss: ${text}`}>
                      <span aria-hidden="true">×</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      ) : null}
    </div>
  );
}

/** On hover: the core's whole sentence, and where the datagrams came from (the line may be cut short). */
function fullText(notice: Notice): string {
  return `${notice.message}${refusalSourcesText(notice.sources, notice.moreSources)}`;
}
