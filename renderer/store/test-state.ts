import { useChatStore } from './store.js';

/** For tests: what the store holds about rooms, read the way assertions want it. */

/** Rooms with unread messages and how many; rooms with none are left out. */
export function unreadCounts(): Record<string, number> {
  const { rooms } = useChatStore.getState();
  return Object.fromEntries(Object.entries(rooms).flatMap(([roomId, room]) => (room.unread > 0 ? [[roomId, room.unread]] : [])));
}
