export type NoticeLevel = 'info' | 'warning' | 'error';

export interface Notice {
  readonly id: number;
  readonly level: NoticeLevel;
  readonly message: string;
}

export interface NoticesSlice {
  /** Banners until the user dismisses them, oldest first. */
  readonly notices: readonly Notice[];
}

export const initialNoticesSlice = (): NoticesSlice => ({ notices: [] });

/** A flood of identical failures should not bury the window in banners. */
export const MAX_NOTICES = 8;
