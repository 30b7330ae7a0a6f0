import { EventEmitter } from 'node:events';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';

/** Just enough of Electron's main-process objects for the shell's tests in plain Node. */

type Handler = (event: IpcMainInvokeEvent, arg: unknown) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What ipcRenderer.invoke would get back: the handler's answer, or a rejection. */
  async invoke(channel: string, event: FakeInvokeEvent, arg?: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event as unknown as IpcMainInvokeEvent, arg);
  }

  asIpcMain(): Pick<IpcMain, 'handle' | 'removeHandler'> {
    return this as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>;
  }
}

export interface FakeFrame {
  url: string;
}

export class FakeWebContents extends EventEmitter {
  readonly mainFrame: FakeFrame;
  readonly sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;

  constructor(url: string) {
    super();
    this.mainFrame = { url };
  }

  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, payload });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  sentOn(channel: string): unknown[] {
    return this.sent.filter((s) => s.channel === channel).map((s) => s.payload);
  }
}

export class FakeWindow {
  readonly webContents: FakeWebContents;
  destroyed = false;

  constructor(url = 'app://mcchat/index.html') {
    this.webContents = new FakeWebContents(url);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export interface FakeInvokeEvent {
  sender: unknown;
  senderFrame: FakeFrame | null;
}

/** An invoke from `contents`, by default from its main frame. */
export function invokeEvent(contents: FakeWebContents, frame: FakeFrame | null = contents.mainFrame): FakeInvokeEvent {
  return { sender: contents, senderFrame: frame };
}
