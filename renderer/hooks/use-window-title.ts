import { useEffect } from 'react';
import { windowFocusChanged } from '../store/actions.js';
import { useTotalUnread } from '../store/selectors.js';

export const APP_TITLE = 'Multicast Chat';

/** "(3) Multicast Chat": the unread count where the taskbar and the window switcher show it. */
export function titleFor(unread: number): string {
  return unread > 0 ? `(${unread > 999 ? '999+' : unread}) ${APP_TITLE}` : APP_TITLE;
}

export function useWindowTitle(): void {
  const total = useTotalUnread();
  useEffect(() => {
    document.title = titleFor(total);
  }, [total]);
}

/** Follows the window's focus: what arrives in the open room while it is in the background is unread. */
export function useWindowFocus(): void {
  useEffect(() => {
    const focus = () => windowFocusChanged(true);
    const blur = () => windowFocusChanged(false);
    window.addEventListener('focus', focus);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('focus', focus);
      window.removeEventListener('blur', blur);
    };
  }, []);
}
