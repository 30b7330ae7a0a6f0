import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { COMMAND_NAMES, commandChannel, EVENT_NAMES, eventChannel, type EventName } from '../shared/ipc/channels.js';
import type { EventPayloads, McchatApi } from '../shared/ipc/contract.js';

/**
 * The renderer's only door to the main process: one function per command and `on` for pushes.
 * ipcRenderer itself never crosses the bridge. Bundled as one CommonJS file (dist-electron/preload.cjs):
 * a sandboxed preload can require nothing but `electron`.
 */
export function buildApi(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): McchatApi {
  const commands = Object.fromEntries(COMMAND_NAMES.map((name) => [name, (arg: unknown) => ipc.invoke(commandChannel(name), arg)]));

  const on = <E extends EventName>(event: E, callback: (payload: EventPayloads[E]) => void): (() => void) => {
    if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`Unknown event "${String(event)}".`);
    if (typeof callback !== 'function') throw new Error('on() needs a callback function.');
    const channel = eventChannel(event);
    // The page never sees the IPC event object (it carries `sender`): only the payload.
    const listener = (_event: IpcRendererEvent, payload: EventPayloads[E]): void => callback(payload);
    ipc.on(channel, listener);
    // Made here, not in the page: contextBridge changes function identity, so off(fn) would leak (electron#33328).
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(channel, listener);
    };
  };

  return Object.freeze({ ...commands, on }) as McchatApi;
}

contextBridge.exposeInMainWorld('mcchat', buildApi(ipcRenderer));
