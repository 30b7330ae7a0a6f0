/**
 * Where focus should land after an action that re-renders the part of the page holding it
 * (switching rooms remounts the room view; leaving removes the room's button). The action
 * records the wish; the component that mounts or becomes usable fulfils it, so focus never
 * falls to <body> in between.
 */

/** The room whose composer should take focus; ANY_ROOM: whichever opens first (after first run, rooms join after the name is chosen). */
let composerFor: string | null = null;
const ANY_ROOM = '*';

/** The composer of this room (null: of the first room to open) takes focus as soon as it is on the page and enabled. */
export function requestComposerFocus(roomId: string | null): void {
  composerFor = roomId ?? ANY_ROOM;
  // The room may already be open (a click on the selected room): its composer is there now.
  if (roomId !== null) setTimeout(() => tryComposerFocus(roomId, false), 0);
}

/**
 * Called right after the action, and by the composer when it mounts or becomes enabled
 * (`later`): then only if the user has not gone elsewhere meanwhile. True when it took focus.
 */
export function tryComposerFocus(roomId: string, later = true): boolean {
  if (composerFor !== roomId && composerFor !== ANY_ROOM) return false;
  const box = document.getElementById('composer');
  if (!(box instanceof HTMLTextAreaElement) || box.dataset.roomId !== roomId) return false;
  if (box.disabled) {
    // Not usable yet (joining): the log keeps focus meanwhile, and the wish stays for when it is.
    if (document.activeElement === document.body || document.activeElement === null) document.querySelector<HTMLElement>('.log__scroller')?.focus();
    return false;
  }
  // Only while the user has not gone elsewhere since asking.
  const active = document.activeElement;
  if (later && active !== null && active !== document.body && !active.classList.contains('log__scroller') && !active.closest('.sidebar') && !active.closest('[role="dialog"]')) {
    composerFor = null;
    return false;
  }
  composerFor = null;
  box.focus();
  return true;
}

/** After leaving: the room list (the selected room's button), or the add-room button when no room is left. */
export function focusRoomListSoon(): void {
  setTimeout(() => {
    const target =
      document.querySelector<HTMLElement>('.room-list button[tabindex="0"]') ?? document.querySelector<HTMLElement>('.add-room-panel__toggle');
    target?.focus();
  }, 0);
}

/** For tests. */
export function resetFocusRequest(): void {
  composerFor = null;
}
