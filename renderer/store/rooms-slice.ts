import type { RoomSnapshot } from '../../shared/events.js';

export interface RoomsSlice {
  readonly rooms: Readonly<Record<string, RoomSnapshot>>;
  /** Room ids in the order the user joined them: the room list and Ctrl+1..9 follow it. */
  readonly roomOrder: readonly string[];
  readonly selectedRoomId: string | null;
  /** Messages from others that arrived while the room was not selected. */
  readonly unread: Readonly<Record<string, number>>;
}

export const initialRoomsSlice = (): RoomsSlice => ({
  rooms: {},
  roomOrder: [],
  selectedRoomId: null,
  unread: {},
});
