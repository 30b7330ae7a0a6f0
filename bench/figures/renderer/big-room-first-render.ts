/**
 * Opening a room that holds 100,000 messages: a click on its room button to the first frame
 * showing its newest message on screen (the room opens at its end, like every chat). The
 * messages arrived while another room was open (bench/renderer/big-room.ts, which also feeds
 * renderer-heap and smooth-under-load from the same runs).
 */
import type { FigureSpec } from '../../renderer/app.js';
import { bigRoomFigure } from './big-room-figure.js';

const SPEC: FigureSpec = { id: 'big-room-first-render', title: 'big room first render', unit: 'ms', target: { op: '<=', threshold: 200, text: '<= 200 ms' } };

export const bigRoomFirstRender = bigRoomFigure({
  spec: SPEC,
  value: (r) => r.opening.newestPainted - r.opening.clickAt,
  details: (r) => ({
    'messages in the room': r.messages,
    'rows in the log (aria-setsize)': r.opening.setsize,
    'click to first row in a frame ms': r.opening.firstRowFrame - r.opening.clickAt,
    'click to newest row in a frame ms': r.opening.newestFrame - r.opening.clickAt,
    'fill s': r.fillMs / 1000,
  }),
  digits: 1,
  note: (sizes) => `${sizes.messages} messages sent on loopback (${sizes.fillRate}/s from ${sizes.fillPeers} peers) into a room in the background of the real page in headless Chromium, then a click on its room button (event.timeStamp) to the first task after the frame in which its newest row is inside the log's visible box; what opens is the store's log of messages that arrived live (the harness has no history store, so getHistory pages are empty)`,
});
