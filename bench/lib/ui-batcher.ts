import { systemClock } from '../../electron/core/clock.js';
import { createEventBatcher, type EventBatcher } from '../../electron/core/event-batcher.js';
import type { CoreEvent } from '../../shared/events.js';

/** The batcher exactly as electron/shell/ipc-bridge.ts sets it up (BATCH_WAIT_MS, BATCH_MAX_SIZE, MAX_HELD_EVENTS). */
export const UI_BATCH = { waitMs: 17, maxSize: 2000, maxQueued: 100_000 } as const;

/** What reached the "renderer": the batcher's pushes, counted instead of sent over IPC. */
export interface UiTally {
  pushes: number;
  events: number;
  messages: number;
  gaps: number;
  largestPush: number;
}

/** `onPush` sees each push as the renderer would receive it. */
export function createUiSink(onPush?: (events: readonly CoreEvent[]) => void): { batcher: EventBatcher; tally: UiTally } {
  const tally: UiTally = { pushes: 0, events: 0, messages: 0, gaps: 0, largestPush: 0 };
  const flush = (events: CoreEvent[]): void => {
    tally.pushes++;
    tally.events += events.length;
    if (events.length > tally.largestPush) tally.largestPush = events.length;
    for (const event of events) {
      if (event.type === 'message') tally.messages++;
      else if (event.type === 'gap') tally.gaps += event.count;
    }
    onPush?.(events);
  };
  const batcher = createEventBatcher({ ...UI_BATCH, clock: systemClock, flush });
  return { batcher, tally };
}
