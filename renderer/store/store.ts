import { create } from 'zustand';
import { initialCountersSlice, type CountersSlice } from './counters-slice.js';
import { initialFloodSlice, type FloodSlice } from './flood-slice.js';
import { initialHistorySlice, type HistorySlice } from './history-slice.js';
import { initialMessagesSlice, type MessagesSlice } from './messages-slice.js';
import { initialNoticesSlice, type NoticesSlice } from './notices-slice.js';
import { initialPeersSlice, type PeersSlice } from './peers-slice.js';
import { initialRoomsSlice, type RoomsSlice } from './rooms-slice.js';
import { initialSessionSlice, type SessionSlice } from './session-slice.js';

/** The whole renderer state. Only the functions in actions.ts, history-actions.ts and ingest.ts change it. */
export type ChatState = RoomsSlice & MessagesSlice & HistorySlice & FloodSlice & PeersSlice & CountersSlice & SessionSlice & NoticesSlice;

export function initialChatState(): ChatState {
  return {
    ...initialRoomsSlice(),
    ...initialMessagesSlice(),
    ...initialHistorySlice(),
    ...initialFloodSlice(),
    ...initialPeersSlice(),
    ...initialCountersSlice(),
    ...initialSessionSlice(),
    ...initialNoticesSlice(),
  };
}

export const useChatStore = create<ChatState>()(() => initialChatState());

/** For tests: a fresh store between cases. */
export function resetStore(): void {
  useChatStore.setState(initialChatState(), true);
}
