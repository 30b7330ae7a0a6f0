import type { Notice } from '../store/notices-slice.js';

/**
 * Live regions for notices, always on the page so a new one is heard: errors assertively,
 * the rest politely. The visible notices are a plain list beside them (no live roles on list
 * items, which would break the list for assistive technology).
 */
export function NoticeAnnouncer({ latest, prefix }: { latest: Notice | undefined; prefix: string }) {
  const text = latest ? `${prefix}${latest.message}` : '';
  return (
    <>
      <div className="visually-hidden" role="alert">
        {latest?.level === 'error' ? text : ''}
      </div>
      <div className="visually-hidden" role="status">
        {latest && latest.level !== 'error' ? text : ''}
      </div>
    </>
  );
}
