/**
 * Main-process stalls under a flood: the core's event-loop delay p99 (lib/loop-delay.ts) while
 * 5,000 signed datagrams/s from 128 fake peers arrive, everything the core does with them
 * (verify, pipeline, UI batcher) on that one thread, as in Electron's main process.
 */
import { profileDirFor } from '../lib/context.js';
import { nextEndpoint } from '../lib/endpoints.js';
import { SenderGroup, measurePhase, phaseRates } from '../lib/load.js';
import { LOOP_DELAY_RESOLUTION_MS } from '../lib/loop-delay.js';
import { failed, measured, medianDetails } from '../lib/result.js';
import type { BenchContext, Figure, FigureResult, Target } from '../lib/types.js';

const TARGET: Target = { op: '<=', threshold: 10, text: '<= 10 ms' };
const RATE = 5_000;
const PEERS = 128;
const ID = 'loop-delay-flood';
const TITLE = 'main-process loop delay p99, 5,000 datagrams/s flood';

export const loopDelayFlood: Figure = {
  id: ID,
  title: TITLE,
  side: 'core',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    const sizes = ctx.quick ? { senders: 1, warmupMs: 250, measureMs: 600 } : { senders: 2, warmupMs: 1_000, measureMs: 3_000 };
    const runs: number[] = [];
    const details: Record<string, number>[] = [];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        const endpoint = nextEndpoint();
        const senders = await SenderGroup.start(
          sizes.senders,
          { targets: [endpoint], peers: PEERS / sizes.senders, rate: RATE / sizes.senders, total: null, textBytes: 80, hellos: false },
          `${ID}-r${run}-sender`,
        );
        try {
          const phase = await measurePhase({ kind: 'core', endpoint, senders, startSenders: true, warmupMs: sizes.warmupMs, measureMs: sizes.measureMs, profileDir: profileDirFor(ctx, run), name: `${ID}-r${run}-core`, loopDelay: true });
          const x = phase.receiver.extra;
          const rates = phaseRates(phase);
          const p99 = x['loopDelayP99Ms'] ?? Number.NaN;
          runs.push(p99);
          details.push({
            'loop delay p50 ms': x['loopDelayP50Ms'] ?? Number.NaN,
            'loop delay max ms': x['loopDelayMaxMs'] ?? Number.NaN,
            'timer ticks sampled': x['loopDelaySamples'] ?? Number.NaN,
            'sent/s': rates.sentPerS,
            'core datagrams/s': rates.socketPerS,
            'core drop %': rates.dropPct,
            'core CPU %': rates.cpuPct,
          });
          ctx.log(`${ID} run ${run + 1}/${ctx.runs}: loop delay p99 ${p99.toFixed(2)} ms (max ${(x['loopDelayMaxMs'] ?? Number.NaN).toFixed(1)}), core CPU ${rates.cpuPct.toFixed(0)} %, drops ${rates.dropPct.toFixed(1)} %`);
          if (phase.profile) ctx.log(phase.profile);
        } finally {
          await senders.stop();
        }
      }
    } catch (error) {
      return [failed(ID, TITLE, 'ms', TARGET, error)];
    }
    return [
      measured({
        id: ID,
        title: TITLE,
        unit: 'ms',
        target: TARGET,
        runs,
        details: medianDetails(details, 2),
        note: `monitorEventLoopDelay (resolution ${LOOP_DELAY_RESOLUTION_MS} ms, the resolution subtracted) in the core's process over ${sizes.measureMs / 1000} s after ${sizes.warmupMs / 1000} s of ${RATE} signed datagrams/s from ${PEERS} peers in ${sizes.senders} sender process(es); events go to the UI batcher as in the app`,
      }),
    ];
  },
};
