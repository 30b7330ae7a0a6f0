/**
 * The renderer's JS heap after 100,000 messages: the page's used V8 heap (CDP
 * Runtime.getHeapUsage) after two full garbage collections (HeapProfiler.collectGarbage), with
 * the room that holds them open. Same runs as big-room-first-render (bench/renderer/big-room.ts).
 */
import type { FigureSpec } from '../../renderer/app.js';
import { bigRoomFigure } from './big-room-figure.js';

const SPEC: FigureSpec = { id: 'renderer-heap', title: 'renderer heap, big room open', unit: 'MB', target: { op: '<=', threshold: 150, text: '<= 150 MB' } };

export const rendererHeap = bigRoomFigure({
  spec: SPEC,
  value: (r) => r.heapUsedMB,
  details: (r) => ({
    'messages in the room': r.messages,
    'heap total MB': r.heapTotalMB,
    'used after the stream MB': r.heapAfterStreamMB,
  }),
  digits: 1,
  note: (sizes) => `used JS heap of the page (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) with ${sizes.messages} messages (80-byte texts) in the open room; MB = 2^20 bytes; "after the stream": the same once smooth-under-load has added its messages`,
});
