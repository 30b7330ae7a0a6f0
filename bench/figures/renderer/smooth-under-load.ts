/**
 * Smooth under load: the share of frames dropped while 1,000 msg/s stream into the open room
 * that already holds 100,000 messages (same runs as big-room-first-render,
 * bench/renderer/big-room.ts). Frame time = requestAnimationFrame delta on the display's refresh
 * grid (bench/renderer/frames.ts): one refresh interval (16.67 ms at 60 Hz) when the page keeps
 * up, two or more when it drops frames; dropped = refresh intervals without a frame ÷ all.
 */
import type { FigureSpec } from '../../renderer/app.js';
import { bigRoomFigure } from './big-room-figure.js';

const SPEC: FigureSpec = { id: 'smooth-under-load', title: 'smooth under load: frames dropped', unit: '%', target: { op: '<=', threshold: 1, text: '<= 1 %' } };

export const smoothUnderLoad = bigRoomFigure({
  spec: SPEC,
  value: (r) => r.frames.droppedPct,
  details: (r) => ({
    'frame p95 ms': r.frames.p95,
    'frame p99 ms': r.frames.p99,
    'raw rAF delta p50 ms': r.frames.rawP50,
    'raw rAF delta p95 ms': r.frames.rawP95,
    'longest frame ms': r.frames.max,
    'frames measured': r.frames.frames,
    'long animation frames (>50 ms)': r.frames.longFrames,
    'their blocking ms': r.frames.longFramesBlockingMs,
    'refresh interval ms (idle page)': r.refreshMs,
    'messages delivered/s': r.streamDeliveredPerS,
  }),
  digits: 2,
  note: (sizes) => `${sizes.streamRate} msg/s from ${sizes.streamPeers} peers on loopback into the open room holding ${sizes.messages} messages, ${sizes.streamMeasureMs / 1000} s measured after ${sizes.streamWarmupMs / 1000} s; rAF deltas put on the refresh grid measured on the idle page just before (timestamps are coarsened to 0.1 ms); dropped = refresh intervals that passed without a frame / all intervals; headless Chromium, software compositing`,
});
