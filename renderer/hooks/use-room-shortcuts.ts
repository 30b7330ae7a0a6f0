import { useEffect } from 'react';
import { requestComposerFocus } from '../lib/focus-request.js';
import { selectAdjacentRoom, selectRoomAt } from '../store/actions.js';

/** Alt+Up/Down for the previous/next room, Ctrl+1..9 (Cmd on macOS) for the n-th room, from anywhere. */
export function useRoomShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
        event.preventDefault();
        const id = selectAdjacentRoom(event.key === 'ArrowUp' ? -1 : 1);
        if (id) requestComposerFocus(id);
        return;
      }
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && /^[1-9]$/.test(event.key)) {
        event.preventDefault();
        const id = selectRoomAt(Number(event.key) - 1);
        if (id) requestComposerFocus(id);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
