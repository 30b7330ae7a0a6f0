/** Per-room message history on disk. */
export { DEFAULT_MAX_BYTES, deleteRoomHistory, openRoomHistory } from './room-history.js';
export type { HistoryCursor, HistoryOrder, HistoryPage, HistoryRecord, HistoryStats, RoomHistory, RoomHistoryOptions, SearchOptions, SearchResult } from './types.js';
