/* global window, document, requestAnimationFrame, MutationObserver, CSS */
// The benchmark's eyes inside the page, installed with page.addInitScript before any of the
// page's own scripts (the test preload and the app). Plain JavaScript, no build step: it is
// handed to Chromium as text. Nothing here changes what the app does; it only watches:
//  - the WebSocket that stands in for IPC (when a push arrives, how many messages it carried),
//  - the DOM (when a probe's row appears, when it is first on screen in a painted frame),
//  - frames (requestAnimationFrame deltas, long animation frames),
//  - opening a room (click to its newest row painted).
// "Painted" is the first task after the frame that contained the change: a message posted from
// requestAnimationFrame runs once that frame's style, layout and paint are done on the main thread.
(() => {
  'use strict';
  const clock = () => performance.timeOrigin + performance.now();

  // --- pushes over the WebSocket (the IPC stand-in) -------------------------------------------
  const PROBE = /probe (\d+) /g;
  const MESSAGE_TYPE = '"type":"message"';
  const pushes = { count: 0, messages: 0 };
  /** probe index -> time its push arrived in the page */
  const received = new Map();
  let watchingProbes = false;

  const countMessages = (text) => {
    let n = 0;
    for (let at = text.indexOf(MESSAGE_TYPE); at !== -1; at = text.indexOf(MESSAGE_TYPE, at + MESSAGE_TYPE.length)) n++;
    return n;
  };
  const onSocketMessage = (event) => {
    const t = clock();
    const text = typeof event.data === 'string' ? event.data : '';
    if (!text.startsWith('{"event":"core"')) return;
    pushes.count++;
    pushes.messages += countMessages(text);
    if (!watchingProbes || !text.includes('probe ')) return;
    for (const match of text.matchAll(PROBE)) {
      const index = Number(match[1]);
      if (!received.has(index)) received.set(index, t);
    }
  };
  const NativeWebSocket = window.WebSocket;
  // Our listener goes on first, so it sees a push before the app's preload handles it.
  function BenchWebSocket(...args) {
    const socket = new NativeWebSocket(...args);
    socket.addEventListener('message', onSocketMessage);
    return socket;
  }
  BenchWebSocket.prototype = NativeWebSocket.prototype;
  for (const key of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) BenchWebSocket[key] = NativeWebSocket[key];
  window.WebSocket = BenchWebSocket;

  // --- after the next paint ------------------------------------------------------------------
  const channel = new MessageChannel();
  const afterPaintQueue = [];
  channel.port1.onmessage = () => {
    const t = clock();
    for (const callback of afterPaintQueue.splice(0)) callback(t);
  };
  let frameRequested = false;
  /** Calls back with the time of the first task after the next frame. */
  const afterNextPaint = (callback) => {
    afterPaintQueue.push(callback);
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(() => {
      frameRequested = false;
      channel.port2.postMessage(0);
    });
  };

  /** True when `el` is connected and at least partly inside the visible box of the log's scroller. */
  const onScreen = (el) => {
    if (!el.isConnected) return false;
    const scroller = el.closest('.log__scroller');
    if (!scroller) return false;
    const box = scroller.getBoundingClientRect();
    const rect = el.getBoundingClientRect();
    return rect.bottom > box.top && rect.top < box.bottom && rect.height > 0;
  };

  // --- probes: a message's row in the DOM, then on screen in a painted frame ----------------
  /** probe index -> { dom, painted } */
  const probes = new Map();
  /** probe index -> element, waiting to be seen on screen */
  const pending = new Map();
  let observer = null;

  const checkPending = (t) => {
    for (const [index, el] of pending) {
      if (!el.isConnected) {
        // The virtualizer replaced the row; find the new one.
        const again = findProbeRow(index);
        if (again) pending.set(index, again);
        else pending.delete(index);
        continue;
      }
      if (onScreen(el)) {
        const entry = probes.get(index);
        if (entry) entry.painted = t;
        pending.delete(index);
      }
    }
    if (pending.size > 0) afterNextPaint(checkPending);
  };

  const findProbeRow = (index) => {
    for (const el of document.querySelectorAll('.message__text')) {
      if (el.textContent.startsWith(`probe ${index} `)) return el;
    }
    return null;
  };

  const noteRow = (el, t) => {
    const match = /^probe (\d+) /.exec(el.textContent);
    if (!match) return;
    const index = Number(match[1]);
    if (probes.has(index)) return;
    probes.set(index, { dom: t, painted: null });
    pending.set(index, el);
  };

  const onMutations = (records) => {
    const t = clock();
    const before = pending.size;
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        if (node.matches('.message__text')) noteRow(node, t);
        for (const el of node.querySelectorAll('.message__text')) noteRow(el, t);
      }
    }
    if (pending.size > before) afterNextPaint(checkPending);
  };

  // --- frames --------------------------------------------------------------------------------
  let frames = null;
  const frameLoop = (timestamp) => {
    if (!frames) return;
    frames.stamps.push(timestamp);
    frames.callbackAt.push(performance.now());
    requestAnimationFrame(frameLoop);
  };
  let loafObserver = null;

  // --- opening a room ------------------------------------------------------------------------
  let opening = null;

  const newestRowOf = (roomName) => {
    const scroller = document.querySelector(`.log__scroller[aria-label="Messages in ${CSS.escape(roomName)}"]`);
    if (!scroller) return null;
    const rows = scroller.querySelectorAll('.log__row[aria-posinset]');
    let firstRow = null;
    for (const row of rows) {
      firstRow ??= row;
      if (row.getAttribute('aria-posinset') === row.getAttribute('aria-setsize')) return { row, firstRow, setsize: Number(row.getAttribute('aria-setsize')) };
    }
    return { row: null, firstRow, setsize: firstRow ? Number(firstRow.getAttribute('aria-setsize')) : 0 };
  };

  const openingFrame = () => {
    if (!opening || opening.done) return;
    // In requestAnimationFrame: what is in the DOM now is in this frame.
    const found = newestRowOf(opening.roomName);
    if (found?.firstRow && opening.firstRowFrame === null) opening.firstRowFrame = clock();
    if (found?.row && onScreen(found.row)) {
      opening.newestFrame = clock();
      opening.setsize = found.setsize;
      opening.done = true;
      channel.port2.postMessage(0);
      afterPaintQueue.push((t) => {
        opening.newestPainted = t;
        const { roomName, clickAt, firstRowFrame, newestFrame, newestPainted, setsize } = opening;
        opening.resolve({ roomName, clickAt, firstRowFrame, newestFrame, newestPainted, setsize });
      });
      return;
    }
    requestAnimationFrame(openingFrame);
  };

  // --- start: when the room list is first painted (after getState) -----------------------------
  let roomsShownAt = null;
  const startObserver = new MutationObserver(() => {
    if (!document.querySelector('.room-list button[data-room-id]')) return;
    startObserver.disconnect();
    afterNextPaint((t) => (roomsShownAt = t - performance.timeOrigin));
  });
  startObserver.observe(document, { childList: true, subtree: true });

  window.__mcbench = Object.freeze({
    clock,
    pushes: () => ({ ...pushes }),
    /** ms after navigation start: the first task after the frame that showed the room list. */
    roomsShown: () => roomsShownAt,
    paintEntries: () => performance.getEntriesByType('paint').map((e) => ({ name: e.name, startTime: e.startTime })),
    navigation: () => {
      const nav = performance.getEntriesByType('navigation')[0];
      return nav ? { responseEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd } : null;
    },

    watchProbes() {
      watchingProbes = true;
      observer = new MutationObserver(onMutations);
      observer.observe(document.body, { childList: true, subtree: true });
    },
    /** True once probe `index` has been painted on screen. */
    probePainted(index) {
      return (probes.get(index)?.painted ?? null) !== null;
    },
    probeResults() {
      observer?.disconnect();
      observer = null;
      watchingProbes = false;
      const out = [];
      for (const [index, entry] of probes) out.push({ index, received: received.get(index) ?? null, dom: entry.dom, painted: entry.painted });
      // Probes whose push arrived but whose row never appeared.
      for (const [index, at] of received) if (!probes.has(index)) out.push({ index, received: at, dom: null, painted: null });
      return out;
    },

    startFrames() {
      frames = { stamps: [], callbackAt: [], loaf: [] };
      if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
        loafObserver = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) frames?.loaf.push({ duration: e.duration, blockingDuration: e.blockingDuration, renderStart: e.renderStart - e.startTime });
        });
        loafObserver.observe({ type: 'long-animation-frame' });
      }
      requestAnimationFrame(frameLoop);
    },
    stopFrames() {
      const out = frames;
      frames = null;
      loafObserver?.disconnect();
      loafObserver = null;
      return out;
    },

    /** Arms the timing of opening `roomName`: from the next click on its room button to its newest row painted. */
    armOpening(roomName, roomId) {
      const button = document.querySelector(`button[data-room-id="${CSS.escape(roomId)}"]`);
      if (!button) throw new Error(`no room button for ${roomId}`);
      let resolve;
      const result = new Promise((r) => (resolve = r));
      opening = { roomName, clickAt: null, firstRowFrame: null, newestFrame: null, newestPainted: null, setsize: 0, done: false, resolve, result };
      const onClick = (event) => {
        if (!button.contains(event.target)) return;
        // event.timeStamp: when the input event was created, on the performance.now() clock.
        opening.clickAt = performance.timeOrigin + event.timeStamp;
        window.removeEventListener('click', onClick, true);
        requestAnimationFrame(openingFrame);
      };
      window.addEventListener('click', onClick, true);
    },
    /** The armed opening's times, once its newest row is painted. */
    openingResult() {
      if (!opening) throw new Error('armOpening was not called');
      return opening.result;
    },
  });
})();
