import { create } from 'zustand';
import type { RoomSnapshot } from '../../shared/events.js';

/** How long "Left Lab — Undo" stays, unless the pointer or focus is on it. */
export const UNDO_MS = 6_000;

/** The room just left, kept for its undo: what is needed to join it again as it was. */
export const useLeftRoom = create<{ left: RoomSnapshot | null }>()(() => ({ left: null }));

export function rememberLeft(room: RoomSnapshot): void {
  useLeftRoom.setState({ left: room });
}

export function forgetLeft(): void {
  useLeftRoom.setState({ left: null });
}
