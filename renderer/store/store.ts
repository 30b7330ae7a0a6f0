import { create } from 'zustand';
import { initialCountersSlice, type CountersSlice } from './counters-slice.js';
import { initialFloodSlice, type FloodSlice } from './flood-slice.js';
import { initialHistorySlice, type HistorySlice } from './history-slice.js';
import { initialLossSlice, type LossSlice } from './loss-slice.js';
import { initialMessagesSlice, type MessagesSlice } from './messages-slice.js';
import { initialMeterSlice, type MeterSlice } from './meter-slice.js';
import { initialNoticesSlice, type NoticesSlice } from './notices-slice.js';
import { initialPeersSlice, type PeersSlice } from './peers-slice.js';
import { initialRoomsSlice, type RoomsSlice } from './rooms-slice.js';
import { initialSessionSlice, type SessionSlice } from './session-slice.js';
import { initialTrafficSlice, type TrafficSlice } from './traffic-slice.js';

/** The whole renderer state. Only the functions in actions.ts, history-actions.ts and ingest.ts change it. */
export type ChatState = RoomsSlice &
  MessagesSlice &
  HistorySlice &
  FloodSlice &
  PeersSlice &
  CountersSlice &
  SessionSlice &
  NoticesSlice &
  LossSlice &
  MeterSlice &
  TrafficSlice;

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
    ...initialLossSlice(),
    ...initialMeterSlice(),
    ...initialTrafficSlice(),
  };
}

export const useChatStore = create<ChatState>()(() => initialChatState());

/** For tests: a fresh store between cases. */
export function resetStore(): void {
  useChatStore.setState(initialChatState(), true);
}
