/**
 * The renderer's JS heap after 100,000 messages: the page's used V8 heap (CDP
 * Runtime.getHeapUsage) after two full garbage collections (HeapProfiler.collectGarbage), with
 * the room that holds them open. Same runs as big-room-first-render (bench/renderer/big-room.ts).
 */
import { chromiumMissing, type FigureSpec } from '../../renderer/app.js';
import { bigRoomResults } from '../../renderer/big-room.js';
import { failed, measured, medianDetails } from '../../lib/result.js';
import type { BenchContext, Figure, FigureResult } from '../../lib/types.js';

const SPEC: FigureSpec = { id: 'renderer-heap', title: 'renderer heap, big room open', unit: 'MB', target: { op: '<=', threshold: 150, text: '<= 150 MB' } };

export const rendererHeap: Figure = {
  id: SPEC.id,
  title: SPEC.title,
  side: 'renderer',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    const missing = chromiumMissing([SPEC]);
    if (missing) return missing;
    try {
      const { sizes, runs } = await bigRoomResults(ctx);
      return [
        measured({
          ...SPEC,
          runs: runs.map((r) => r.heapUsedMB),
          details: medianDetails(
            runs.map((r) => ({
              'messages in the room': r.messages,
              'heap total MB': r.heapTotalMB,
              'used after the stream MB': r.heapAfterStreamMB,
            })),
            1,
          ),
          note: `used JS heap of the page (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) with ${sizes.messages} messages (80-byte texts) in the open room; MB = 2^20 bytes; "after the stream": the same once smooth-under-load has added its messages`,
        }),
      ];
    } catch (error) {
      return [failed(SPEC.id, SPEC.title, SPEC.unit, SPEC.target, error)];
    }
  },
};

