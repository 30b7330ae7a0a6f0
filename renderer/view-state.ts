import { invoke } from './api.js';
import { useChatStore } from './store/store.js';

/**
 * Main decides notifications and the badge's unread count; it needs to know which room this page
 * shows: reported now and on every change of the selection.
 */
export function reportViewState(): () => void {
  let last: string | null | undefined;
  const report = (roomId: string | null): void => {
    if (roomId === last) return;
    last = roomId;
    void invoke((a) => a.setViewState({ roomId }));
  };
  report(useChatStore.getState().selectedRoomId);
  return useChatStore.subscribe((state) => report(state.selectedRoomId));
}
