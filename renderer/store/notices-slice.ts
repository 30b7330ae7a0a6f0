import type { ChatErrorCode } from '../../shared/errors.js';
import type { RefusalSource } from '../../shared/events.js';

export type NoticeLevel = 'info' | 'warning' | 'error';

export interface Notice {
  readonly id: number;
  readonly level: NoticeLevel;
  readonly message: string;
  /** The room it is about: shown in that room only. Null: about the whole app, shown once at the top. */
  readonly roomId: string | null;
  readonly code?: ChatErrorCode;
  /** How many times the same sentence came; it is shown once with the count. */
  readonly count: number;
  /** For refused datagrams: where they came from (ip:port as seen, busiest first), and how many came from elsewhere. */
  readonly sources?: readonly RefusalSource[];
  readonly moreSources?: number;
}

/** Sources a notice names; the rest are summed into `moreSources`. */
export const NAMED_SOURCES = 3;

export interface NoticesSlice {
  /** Notices until the user dismisses them (or leaves their room), oldest first. */
  readonly notices: readonly Notice[];
}

export const initialNoticesSlice = (): NoticesSlice => ({ notices: [] });

/** Per room and for the app: a flood of different failures should not bury the window. */
export const MAX_NOTICES = 8;
