import type { CoreEvent } from '../../shared/events.js';
import type { Clock, TimerHandle } from './clock.js';

export interface BatcherOptions {
  /** Least time between two pushes, about one animation frame; also the longest an event waits. */
  readonly waitMs: number;
  /** A batch this large is pushed at once, so one push never carries an unbounded payload. */
  readonly maxSize: number;
  readonly clock: Clock;
  readonly flush: (events: CoreEvent[]) => void;
  /** While paused, at most this many events wait; the oldest go first (default 100,000). */
  readonly maxQueued?: number;
  /**
   * ...and at most about this many bytes (default 32 MiB): 100,000 held messages of 8 KiB of
   * text each would be 1.6 GB of strings.
   */
  readonly maxQueuedBytes?: number;
  /** Told how many events were dropped while paused. */
  readonly onOverflow?: (dropped: number) => void;
}

export interface EventBatcher {
  add(event: CoreEvent): void;
  /** Pushes whatever is waiting now. */
  flushNow(): void;
  /** While paused (renderer not ready) events are kept, not pushed. */
  setPaused(paused: boolean): void;
  dispose(): void;
}

/**
 * Coalesces a burst of core events into few pushes (Signal's createBatcher). Counter snapshots
 * of a room replace the previous one in the same batch: only the latest matters to the UI.
 * Leading edge: a lone event after a quiet spell goes out at the next turn of the event loop, not
 * a frame later; only events that follow a push within `waitMs` wait for the next slot.
 */
export function createEventBatcher(options: BatcherOptions): EventBatcher {
  let queue: CoreEvent[] = [];
  /** Estimated size of what is queued, kept only while paused (when the queue can grow). */
  let queuedBytes = 0;
  const counterSlot = new Map<string, number>();
  let timer: TimerHandle | null = null;
  let paused = false;
  let lastPushAt = -Infinity;

  /** Bounded memory while nobody listens (a renderer that never loads must not grow the heap forever). */
  const dropOldest = (count: number): void => {
    // In chunks, so a flood while paused costs O(n) per chunk, not per event.
    for (const event of queue.splice(0, count)) queuedBytes -= sizeOf(event);
    counterSlot.clear();
    queue.forEach((e, i) => e.type === 'counters' && counterSlot.set(e.roomId, i));
  };

  const flushNow = (): void => {
    timer?.cancel();
    timer = null;
    if (paused || queue.length === 0) return;
    const batch = queue;
    queue = [];
    queuedBytes = 0;
    counterSlot.clear();
    lastPushAt = options.clock.now();
    // What piled up while paused goes out in several pushes, each at most maxSize.
    for (let start = 0; start < batch.length; start += options.maxSize) {
      options.flush(batch.length <= options.maxSize ? batch : batch.slice(start, start + options.maxSize));
    }
  };

  return {
    add(event) {
      if (event.type === 'counters') {
        const slot = counterSlot.get(event.roomId);
        if (slot !== undefined) {
          queue[slot] = event;
          return;
        }
        counterSlot.set(event.roomId, queue.length);
      }
      queue.push(event);
      if (paused) {
        queuedBytes += sizeOf(event);
        const max = options.maxQueued ?? 100_000;
        const maxBytes = options.maxQueuedBytes ?? 32 * 1024 * 1024;
        if (queue.length > max || queuedBytes > maxBytes) {
          // A tenth more than the excess, by count or by bytes, so this runs once per tenth.
          let count = queue.length > max ? queue.length - max + Math.ceil(max / 10) : 0;
          for (let freed = 0, i = 0; queuedBytes - freed > maxBytes * 0.9 && i < queue.length; i++) {
            freed += sizeOf(queue[i] as CoreEvent);
            count = Math.max(count, i + 1);
          }
          dropOldest(count);
          options.onOverflow?.(count);
        }
        return;
      }
      if (queue.length >= options.maxSize) flushNow();
      else timer ??= options.clock.after(Math.max(0, lastPushAt + options.waitMs - options.clock.now()), flushNow);
    },
    flushNow,
    setPaused(next) {
      paused = next;
      if (!paused && queue.length > 0) flushNow();
    },
    dispose() {
      timer?.cancel();
      timer = null;
      queue = [];
      queuedBytes = 0;
      counterSlot.clear();
    },
  };
}

/** A cheap upper estimate of what an event holds: strings are UTF-16, plus the object around them. */
function sizeOf(event: CoreEvent): number {
  return event.type === 'message' ? 512 + 2 * (event.message.text.length + event.message.order.length) : 512;
}
