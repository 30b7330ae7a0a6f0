/** Where paging back through a room's stored history stands. */
export interface RoomHistoryState {
  /** 'idle' between pages; 'failed' waits for the user to try again. */
  readonly status: 'idle' | 'loading' | 'failed';
  /**
   * The cursor for the next older page: undefined before the first page, null once the start of
   * the stored history (or of what this window keeps) is reached.
   */
  readonly before: number | null | undefined;
  /** Why the last page could not be loaded, for the user. */
  readonly error: string | null;
}

/** Messages per page, at start and for each step back. */
export const HISTORY_PAGE = 200;
