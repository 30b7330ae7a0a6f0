import { describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, commandChannel, eventChannel } from '../../shared/ipc/contract.js';

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const exposed: Record<string, unknown> = {};
  return {
    exposed,
    listeners,
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        exposed[key] = api;
      },
    },
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, arg: unknown) => ({ ok: true, value: { channel, arg } })),
      on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      }),
      removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
        listeners.get(channel)?.delete(listener);
      }),
      send: vi.fn(),
      sendSync: vi.fn(),
    },
  };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

await import('../preload.js');
const api = electron.exposed.mcchat as Record<string, unknown> & {
  on: (event: string, callback: (payload: unknown) => void) => () => void;
};

describe('preload', () => {
  it('exposes window.mcchat with one function per command and on(), nothing else', () => {
    expect(Object.keys(electron.exposed)).toEqual(['mcchat']);
    expect(Object.keys(api).sort()).toEqual([...COMMAND_NAMES, 'on'].sort());
    for (const key of Object.keys(api)) expect(typeof api[key]).toBe('function');
    expect(Object.values(api)).not.toContain(electron.ipcRenderer);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('each command invokes its own channel with the argument', async () => {
    const joinRoom = api.joinRoom as (arg: unknown) => Promise<unknown>;
    expect(await joinRoom({ group: '239.255.1.1' })).toEqual({ ok: true, value: { channel: commandChannel('joinRoom'), arg: { group: '239.255.1.1' } } });
    for (const name of COMMAND_NAMES) {
      await (api[name] as (arg?: unknown) => Promise<unknown>)();
      expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(commandChannel(name), undefined);
    }
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.sendSync).not.toHaveBeenCalled();
  });

  it('on() passes only the payload and returns an unsubscribe made in the preload', () => {
    const received: unknown[] = [];
    const off = api.on('core', (payload) => received.push(payload));
    const channel = eventChannel('core');
    const [listener] = electron.listeners.get(channel)!;
    listener!({ sender: 'ipc event object' }, [{ type: 'room' }]);
    expect(received).toEqual([[{ type: 'room' }]]);
    off();
    off();
    expect(electron.listeners.get(channel)!.size).toBe(0);
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledTimes(1);
  });

  it('on() refuses unknown events and non-functions', () => {
    expect(() => api.on('mcchat:cmd:joinRoom', () => undefined)).toThrow(/Unknown event/);
    expect(() => api.on('notice', 'nope' as never)).toThrow(/callback/);
  });
});
