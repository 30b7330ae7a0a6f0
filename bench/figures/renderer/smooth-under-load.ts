/**
 * Smooth under load: frame times while 1,000 msg/s stream into the open room that already holds
 * 100,000 messages (same runs as big-room-first-render, bench/renderer/big-room.ts). Frame time
 * = requestAnimationFrame delta on the display's refresh grid (bench/renderer/frames.ts): one
 * refresh interval (16.67 ms at 60 Hz) when the page keeps up, two or more when it drops frames.
 */
import type { FigureSpec } from '../../renderer/app.js';
import { bigRoomFigure } from './big-room-figure.js';

const SPEC: FigureSpec = { id: 'smooth-under-load', title: 'smooth under load: frame p95', unit: 'ms', target: { op: '<=', threshold: 16.7, text: '<= 16.7 ms' } };

export const smoothUnderLoad = bigRoomFigure({
  spec: SPEC,
  value: (r) => r.frames.p95,
  details: (r) => ({
    'frame p99 ms': r.frames.p99,
    'raw rAF delta p50 ms': r.frames.rawP50,
    'raw rAF delta p95 ms': r.frames.rawP95,
    'longest frame ms': r.frames.max,
    'dropped frames %': r.frames.droppedPct,
    'frames measured': r.frames.frames,
    'long animation frames (>50 ms)': r.frames.longFrames,
    'their blocking ms': r.frames.longFramesBlockingMs,
    'refresh interval ms (idle page)': r.refreshMs,
    'messages delivered/s': r.streamDeliveredPerS,
  }),
  digits: 2,
  note: (sizes) => `${sizes.streamRate} msg/s from ${sizes.streamPeers} peers on loopback into the open room holding ${sizes.messages} messages, ${sizes.streamMeasureMs / 1000} s measured after ${sizes.streamWarmupMs / 1000} s; rAF deltas put on the refresh grid measured on the idle page just before (timestamps are coarsened to 0.1 ms); headless Chromium, software compositing`,
});
