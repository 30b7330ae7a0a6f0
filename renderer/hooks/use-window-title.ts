import { useEffect } from 'react';
import { useChatStore } from '../store/store.js';

export const APP_TITLE = 'Multicast Chat';

/** "(3) Multicast Chat": the unread count where the taskbar and the window switcher show it. */
export function titleFor(unread: number): string {
  return unread > 0 ? `(${unread > 999 ? '999+' : unread}) ${APP_TITLE}` : APP_TITLE;
}

export function useWindowTitle(): void {
  const total = useChatStore((s) => Object.values(s.unread).reduce((sum, n) => sum + n, 0));
  useEffect(() => {
    document.title = titleFor(total);
  }, [total]);
}
