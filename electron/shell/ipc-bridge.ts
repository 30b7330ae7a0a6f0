import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ChatErrorInfo } from '../../shared/errors.js';
import { COMMAND_NAMES, commandChannel, eventChannel, type AppNotice } from '../../shared/ipc/contract.js';
import { fail, type Result } from '../../shared/ipc/result.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createEventBatcher } from '../core/event-batcher.js';
import { createCommandDispatcher, type CommandDeps } from './commands.js';
import { createPushGate } from './push-gate.js';

/** About one animation frame, and a bound on one push's size. */
export const BATCH_WAIT_MS = 17;
export const BATCH_MAX_SIZE = 2000;
/** Events kept while the window is not listening; beyond this the oldest are dropped. */
export const MAX_HELD_EVENTS = 100_000;

export type BridgeWindow = Pick<BrowserWindow, 'isDestroyed' | 'webContents'>;

export interface IpcBridgeDeps extends Omit<CommandDeps, 'notice' | 'onRendererReady'> {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  /** The app's one window, or null while there is none. */
  readonly getWindow: () => BridgeWindow | null;
  /** True for a URL of the app's own page (app://mcchat/… or the dev server). */
  readonly isAppUrl: (url: string) => boolean;
  readonly clock?: Clock;
}

export interface IpcBridge {
  /** Watches the window's page: pushes pause while it reloads or is gone, until rendererReady. */
  attachWindow(win: BridgeWindow): void;
  /** A banner for the user; held until the renderer is ready. */
  notice(notice: AppNotice): void;
  /** Asks the page to open a room (a notification was clicked); the last one is held until it is ready. */
  openRoom(roomId: string): void;
  /** Removes the handlers and the core subscription. */
  dispose(): void;
}

/** The answer to a call from anything but the app's own page. */
export const FORBIDDEN_SENDER: ChatErrorInfo = {
  code: 'FORBIDDEN',
  message: 'This request did not come from the Multicast Chat window and was refused.',
};

/** A call is trusted only from the main frame of the app's window, showing the app's own page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, win: BridgeWindow | null, isAppUrl: (url: string) => boolean): boolean {
  if (!win || win.isDestroyed()) return false;
  const contents = win.webContents;
  if (event.sender !== contents) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== contents.mainFrame) return false;
  return isAppUrl(frame.url);
}

/**
 * The IPC bridge: one handler per command of the contract, each checking its sender and
 * parsing its payload, answering with a Result envelope and never throwing across invoke.
 * Core events reach the window in batches, held until the renderer says it is ready.
 */
export function setupIpcBridge(deps: IpcBridgeDeps): IpcBridge {
  const clock = deps.clock ?? systemClock;

  const liveContents = () => {
    const win = deps.getWindow();
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return null;
    return win.webContents;
  };

  const gate = createPushGate({
    queue: (flush, onOverflow) =>
      createEventBatcher({
        waitMs: BATCH_WAIT_MS,
        maxSize: BATCH_MAX_SIZE,
        // A window that never comes back must not grow main's memory without bound.
        maxQueued: MAX_HELD_EVENTS,
        onOverflow,
        clock,
        flush,
      }),
    send: (event, payload) => {
      const contents = liveContents();
      contents?.send(eventChannel(event), payload);
      return contents !== null;
    },
  });

  const unsubscribe = deps.core.subscribe((event) => gate.add(event));
  const dispatch = createCommandDispatcher({ ...deps, notice: gate.notice, onRendererReady: gate.resume });

  for (const name of COMMAND_NAMES) {
    deps.ipcMain.handle(commandChannel(name), async (event: IpcMainInvokeEvent, arg: unknown): Promise<Result<unknown>> => {
      // Checked before the payload is even looked at: only the app's own page may ask anything.
      if (!isTrustedSender(event, deps.getWindow(), deps.isAppUrl)) return fail(FORBIDDEN_SENDER);
      return dispatch(name, arg);
    });
  }

  return {
    attachWindow(win) {
      gate.pause();
      const contents = win.webContents;
      contents.on('did-start-navigation', (details) => {
        if (details.isMainFrame && !details.isSameDocument) gate.pause();
      });
      contents.on('render-process-gone', gate.pause);
      contents.on('destroyed', gate.pause);
    },
    notice: gate.notice,
    openRoom: gate.openRoom,
    dispose() {
      unsubscribe();
      gate.dispose();
      for (const name of COMMAND_NAMES) deps.ipcMain.removeHandler(commandChannel(name));
    },
  };
}
