import { dismissNotice } from '../store/actions.js';
import { useChatStore } from '../store/store.js';

/** Errors and notices from main, each until dismissed. The messages are already sentences for the user. */
export function NoticeBanners() {
  const notices = useChatStore((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <ul className="banners" aria-label="Notifications">
      {notices.map((notice) => (
        <li key={notice.id} className={`banner banner--${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'}>
          <span className="banner__text">{notice.message}</span>
          <button type="button" className="button button--quiet" onClick={() => dismissNotice(notice.id)} aria-label={`Dismiss: ${notice.message}`}>
            Dismiss
          </button>
        </li>
      ))}
    </ul>
  );
}
