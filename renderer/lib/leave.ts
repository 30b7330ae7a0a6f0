import type { RoomSnapshot } from '../../shared/events.js';
import type { ChatErrorInfo } from '../../shared/errors.js';
import { invoke } from '../api.js';
import { addNotice, placeRoom, removeRoom, selectRoom, upsertRoom } from '../store/actions.js';
import { useChatStore } from '../store/store.js';
import { forgetLeft, rememberLeft } from '../store/leave-undo.js';
import { focusRoomListSoon, requestComposerFocus } from './focus-request.js';

/**
 * Leaves at once and offers an undo. A passphrase room cannot be joined again without its
 * passphrase, which the window never keeps, so it offers none: the user confirmed before.
 */
export async function leaveRoom(room: RoomSnapshot): Promise<boolean> {
  // Read first: the core's "left" event may remove the room from the list before the answer comes.
  const position = useChatStore.getState().roomOrder.indexOf(room.roomId);
  const result = await invoke((api) => api.leaveRoom(room.roomId));
  if (!result.ok) {
    addNotice('error', result.error.message);
    return false;
  }
  removeRoom(room.roomId);
  if (room.encrypted) forgetLeft();
  else rememberLeft(room, Math.max(0, position));
  focusRoomListSoon();
  return true;
}

/** Joins the room just left again, as it was configured and where it stood in the list; null when it worked. */
export async function rejoin(room: RoomSnapshot, position: number): Promise<ChatErrorInfo | null> {
  const result = await invoke((api) =>
    api.joinRoom({ name: room.name, group: room.group, port: room.port, ttl: room.ttl, loopback: room.loopback, position, ...(room.iface ? { iface: room.iface } : {}) }),
  );
  if (!result.ok) return result.error;
  forgetLeft();
  upsertRoom(result.value);
  placeRoom(result.value.roomId, position);
  selectRoom(result.value.roomId);
  requestComposerFocus(result.value.roomId);
  return null;
}
