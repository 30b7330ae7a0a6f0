import type { RoomRecords } from './room-record.js';

export interface RoomsSlice {
  /** One record per room the window shows, by room id: all it keeps about the room. */
  readonly rooms: RoomRecords;
  /** Room ids in the order the user joined them: the room list and Ctrl+1..9 follow it. */
  readonly roomOrder: readonly string[];
  readonly selectedRoomId: string | null;
}

export const initialRoomsSlice = (): RoomsSlice => ({
  rooms: {},
  roomOrder: [],
  selectedRoomId: null,
});
