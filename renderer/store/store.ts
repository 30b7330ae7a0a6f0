import { create } from 'zustand';
import { initialMeterSlice, type MeterSlice } from './meter-slice.js';
import { initialNoticesSlice, type NoticesSlice } from './notices-slice.js';
import { initialRoomsSlice, type RoomsSlice } from './rooms-slice.js';
import { initialSessionSlice, type SessionSlice } from './session-slice.js';

/**
 * The whole renderer state: one record per room (rooms-slice, room-record.ts) and what belongs to
 * the app. Only the functions in actions.ts, history-actions.ts and ingest.ts change it.
 */
export type ChatState = RoomsSlice & SessionSlice & NoticesSlice & MeterSlice;

export function initialChatState(): ChatState {
  return {
    ...initialRoomsSlice(),
    ...initialSessionSlice(),
    ...initialNoticesSlice(),
    ...initialMeterSlice(),
  };
}

export const useChatStore = create<ChatState>()(() => initialChatState());

/** For tests: a fresh store between cases. */
export function resetStore(): void {
  useChatStore.setState(initialChatState(), true);
}
