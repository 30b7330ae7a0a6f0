/**
 * Opening a room that holds 100,000 messages: a click on its room button to the first frame
 * showing its newest message on screen (the room opens at its end, like every chat). The
 * messages arrived while another room was open (bench/renderer/big-room.ts, which also feeds
 * renderer-heap and smooth-under-load from the same runs).
 */
import { chromiumMissing, type FigureSpec } from '../../renderer/app.js';
import { bigRoomResults } from '../../renderer/big-room.js';
import { failed, measured, medianDetails } from '../../lib/result.js';
import type { BenchContext, Figure, FigureResult } from '../../lib/types.js';

const SPEC: FigureSpec = { id: 'big-room-first-render', title: 'big room first render', unit: 'ms', target: { op: '<=', threshold: 200, text: '<= 200 ms' } };

export const bigRoomFirstRender: Figure = {
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
          runs: runs.map((r) => r.opening.newestPainted - r.opening.clickAt),
          details: medianDetails(
            runs.map((r) => ({
              'messages in the room': r.messages,
              'rows in the log (aria-setsize)': r.opening.setsize,
              'click to first row in a frame ms': r.opening.firstRowFrame - r.opening.clickAt,
              'click to newest row in a frame ms': r.opening.newestFrame - r.opening.clickAt,
              'fill s': r.fillMs / 1000,
            })),
            1,
          ),
          note: `${sizes.messages} messages sent on loopback (${sizes.fillRate}/s from ${sizes.fillPeers} peers) into a room in the background of the real page in headless Chromium, then a click on its room button (event.timeStamp) to the first task after the frame in which its newest row is inside the log's visible box; what opens is the store's log of messages that arrived live (the harness has no history store, so getHistory pages are empty)`,
        }),
      ];
    } catch (error) {
      return [failed(SPEC.id, SPEC.title, SPEC.unit, SPEC.target, error)];
    }
  },
};
