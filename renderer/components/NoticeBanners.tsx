import { appNoticeLines } from '../lib/notice-text.js';
import { dismissNotices } from '../store/actions.js';
import type { Notice } from '../store/notices-slice.js';
import { useChatStore } from '../store/store.js';
import { NoticeAnnouncer } from './NoticeAnnouncer.js';

const NO_NOTICES: readonly Notice[] = [];
let lastNotices: readonly Notice[] = NO_NOTICES;
let lastAppNotices: readonly Notice[] = NO_NOTICES;
/** The same array while the app-wide notices do not change, so the selector does not re-render for ever. */
function appWide(notices: readonly Notice[]): readonly Notice[] {
  if (notices !== lastNotices) {
    lastNotices = notices;
    const next = notices.filter((n) => n.roomId === null);
    lastAppNotices = next.length === 0 ? NO_NOTICES : next;
  }
  return lastAppNotices;
}

/**
 * Notices about the whole app (main's, and failures not tied to a room): one line each, until
 * dismissed. Placed inside a landmark by the caller (the app header, the first-run main).
 */
export function NoticeBanners() {
  const notices = useChatStore((s) => appWide(s.notices));
  const lines = appNoticeLines(notices);
  return (
    <div className="app-notices">
      <NoticeAnnouncer latest={notices[notices.length - 1]} prefix="" />
      {lines.length > 0 ? (
        <ul className="notice-lines" aria-label="App notices">
          {lines.map((line) => (
            <li key={line.key} className={`notice-line notice-line--${line.level}`}>
              <span className="notice-line__text" title={line.text}>
                {line.text}
              </span>
              {line.count > 1 ? <span className="notice-line__count">×{line.count}</span> : null}
              <button type="button" className="button button--quiet notice-line__dismiss" onClick={() => dismissNotices(line.ids)} aria-label={`Dismiss: ${line.text}`}>
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
