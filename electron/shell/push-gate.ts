import type { CoreEvent } from '../../shared/events.js';
import type { AppNotice, EventName, EventPayloads } from '../../shared/ipc/contract.js';

/** How core events are queued and batched (the event batcher in main); paused while the page is not ready. */
export interface PushQueue {
  add(event: CoreEvent): void;
  setPaused(paused: boolean): void;
  dispose(): void;
}

export interface PushGateOptions {
  /** Makes the queue: it pushes through `flush`, and calls `onOverflow` when it dropped held events. */
  readonly queue: (flush: (events: CoreEvent[]) => void, onOverflow: () => void) => PushQueue;
  /** Sends a push to the page; false when there is no live page to send to. */
  readonly send: <E extends EventName>(event: E, payload: EventPayloads[E]) => boolean;
}

export interface PushGate {
  /** A core event: queued, pushed in a batch once the page is ready. */
  add(event: CoreEvent): void;
  /** A banner for the user; held until the page is ready (the newest few). */
  notice(notice: AppNotice): void;
  /** Asks the page to open a room; the last one is held until it is ready. */
  openRoom(roomId: string): void;
  /** The page went away or reloads: hold everything. */
  pause(): void;
  /** The page said rendererReady: push what was held, then keep pushing. */
  resume(): void;
  dispose(): void;
}

const MAX_HELD_NOTICES = 20;

/**
 * What main pushes to the page and when: nothing until the page says it is ready (a page that
 * subscribes late must not miss the start), then core events in batches, notices and room
 * requests as they come. Transport-free: the IPC bridge sends over webContents, the renderer's
 * fake main process to its listeners, so the tests and the demo see pushes as the app does.
 */
export function createPushGate(options: PushGateOptions): PushGate {
  let ready = false;
  let dropped = false;
  const heldNotices: AppNotice[] = [];
  let heldRoom: string | null = null;

  const queue = options.queue(
    (events) => void options.send('core', events),
    () => (dropped = true),
  );
  queue.setPaused(true);

  const notice = (value: AppNotice): void => {
    if (ready && options.send('notice', value)) return;
    heldNotices.push(value);
    if (heldNotices.length > MAX_HELD_NOTICES) heldNotices.shift();
  };

  return {
    add: (event) => queue.add(event),
    notice,
    openRoom(roomId) {
      if (!ready || !options.send('openRoom', roomId)) heldRoom = roomId;
    },
    pause() {
      ready = false;
      queue.setPaused(true);
    },
    resume() {
      ready = true;
      queue.setPaused(false);
      if (dropped) {
        dropped = false;
        heldNotices.push({ level: 'warning', message: 'The window was not listening for a while; some older events were dropped.' });
      }
      for (const value of heldNotices.splice(0)) options.send('notice', value);
      if (heldRoom !== null) options.send('openRoom', heldRoom);
      heldRoom = null;
    },
    dispose: () => queue.dispose(),
  };
}
