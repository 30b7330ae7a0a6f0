import { create } from 'zustand';
import type { RoomSnapshot } from '../../shared/events.js';

/** How long "Left Lab — Undo" stays, unless the pointer or focus is on it. */
export const UNDO_MS = 6_000;

/**
 * The room just left, kept for its undo: what is needed to join it again as it was, and where
 * it stood in the room list (Ctrl+1-9 keep pointing at the same rooms after Undo).
 */
export const useLeftRoom = create<{ left: RoomSnapshot | null; position: number }>()(() => ({ left: null, position: 0 }));

export function rememberLeft(room: RoomSnapshot, position: number): void {
  useLeftRoom.setState({ left: room, position });
}

export function forgetLeft(): void {
  useLeftRoom.setState({ left: null, position: 0 });
}
