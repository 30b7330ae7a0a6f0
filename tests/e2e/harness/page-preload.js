/* global window, location, __COMMAND_NAMES__ */
// The e2e stand-in for electron/preload.ts, run by the page as a classic script before the
// app's module: `window.mcchat` implements McchatApi over a WebSocket to the page's own origin
// (so the production CSP's `connect-src 'self'` allows it). The server replaces
// __COMMAND_NAMES__ with the contract's command list.
(() => {
  'use strict';
  const COMMANDS = __COMMAND_NAMES__;
  const EVENTS = ['core', 'notice', 'openRoom'];
  const socket = new WebSocket(`ws://${location.host}/mcchat`);
  const pending = new Map();
  const queued = [];
  const listeners = new Map(EVENTS.map((name) => [name, new Set()]));
  let nextId = 1;
  let closed = false;

  socket.addEventListener('open', () => {
    for (const text of queued.splice(0)) socket.send(text);
  });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data));
    if (typeof message.id === 'number') {
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (call) call.resolve(message.result);
      return;
    }
    const set = listeners.get(message.event);
    if (!set) return;
    for (const callback of [...set]) {
      try {
        callback(message.payload);
      } catch (error) {
        console.error('mcchat listener failed', error);
      }
    }
  });
  socket.addEventListener('close', () => {
    closed = true;
    for (const call of pending.values()) call.reject(new Error('the test server closed the connection'));
    pending.clear();
  });

  const call = (name, arg) =>
    new Promise((resolve, reject) => {
      if (closed) {
        reject(new Error('the test server closed the connection'));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const text = JSON.stringify({ id, name, arg });
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queued.push(text);
    });

  const api = {
    on(event, callback) {
      const set = listeners.get(event);
      if (!set || typeof callback !== 'function') throw new Error(`unknown event ${String(event)}`);
      set.add(callback);
      return () => {
        set.delete(callback);
      };
    },
  };
  for (const name of COMMANDS) api[name] = (arg) => call(name, arg);
  Object.defineProperty(window, 'mcchat', { value: Object.freeze(api), enumerable: true, configurable: false, writable: false });
})();
