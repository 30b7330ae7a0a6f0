/** Start (core): a fresh process creates the core and joins its 10 saved rooms. */
import { nextEndpoint } from '../lib/endpoints.js';
import { failed, measured, medianDetails } from '../lib/result.js';
import type { BenchContext, Figure, FigureResult, Target } from '../lib/types.js';
import { BenchWorker } from '../lib/worker-host.js';
import type { StartReport } from '../workers/start-core.js';

const TARGET: Target = { op: '<=', threshold: 100, text: '<= 100 ms' };
const ROOMS = 10;

export const startCore: Figure = {
  id: 'start-core',
  title: 'start (core)',
  side: 'core',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    const runs: number[] = [];
    const details: Record<string, number>[] = [];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        const rooms = Array.from({ length: ROOMS }, () => nextEndpoint());
        const { worker, ready } = await BenchWorker.start<StartReport>('start-core', { name: `start-r${run}`, config: { rooms } });
        await worker.stop();
        runs.push(ready.startMs);
        details.push({ 'module load ms': ready.importMs, 'since process start ms': ready.sinceProcessStartMs });
        ctx.log(`start run ${run + 1}/${ctx.runs}: ${ready.startMs.toFixed(1)} ms to ${ready.joined} rooms joined`);
      }
    } catch (error) {
      return [failed('start-core', 'start (core): 10 rooms joined', 'ms', TARGET, error)];
    }
    return [
      measured({
        id: 'start-core',
        title: 'start (core): 10 rooms joined',
        unit: 'ms',
        target: TARGET,
        runs,
        details: medianDetails(details, 1),
        note: 'createChatCore() to the 10th room joined (rejoinSavedRooms, one after the other, as the app starts) in a fresh Node process running the bundled core; loading the bundle is shown apart',
      }),
    ];
  },
};
