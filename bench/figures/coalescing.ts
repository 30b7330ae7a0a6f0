/**
 * Coalescing: how many pushes reach the "renderer" (the UI batcher's flush calls, i.e. IPC
 * sends) per second while the core takes a 20,000 datagram/s burst.
 */
import { profileDirFor } from '../lib/context.js';
import { nextEndpoint } from '../lib/endpoints.js';
import { SenderGroup, measurePhase, phaseRates } from '../lib/load.js';
import { failed, measured, medianDetails } from '../lib/result.js';
import type { BenchContext, Figure, FigureResult, Target } from '../lib/types.js';

const TARGET: Target = { op: '<=', threshold: 60, text: '<= 60 /s' };
const BURST_RATE = 20_000;
const PEERS = 64; // 312 datagrams/s per source: under the flood limit, so the whole burst is processed

export const coalescing: Figure = {
  id: 'coalescing',
  title: 'coalescing',
  side: 'core',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    const sizes = ctx.quick ? { senders: 1, warmupMs: 250, measureMs: 500 } : { senders: 2, warmupMs: 700, measureMs: 3_000 };
    const runs: number[] = [];
    const details: Record<string, number>[] = [];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        const endpoint = nextEndpoint();
        const senders = await SenderGroup.start(
          sizes.senders,
          { targets: [endpoint], peers: PEERS / sizes.senders, rate: BURST_RATE / sizes.senders, total: null, textBytes: 80, hellos: false },
          `coalescing-r${run}-sender`,
        );
        try {
          const phase = await measurePhase({ kind: 'core', endpoint, senders, startSenders: true, warmupMs: sizes.warmupMs, measureMs: sizes.measureMs, profileDir: profileDirFor(ctx, run), name: `coalescing-r${run}-core` });
          const seconds = phase.receiver.ms / 1000;
          const rates = phaseRates(phase);
          const pushesPerS = (phase.receiver.extra['pushes'] ?? 0) / seconds;
          runs.push(pushesPerS);
          details.push({
            'sent/s': rates.sentPerS,
            'core messages/s': rates.deliveredPerS,
            'core drop %': rates.dropPct,
            'core CPU %': rates.cpuPct,
            'largest push (events)': phase.receiver.extra['largestPush'] ?? 0,
            'events per push': phase.receiver.delivered / Math.max(1, phase.receiver.extra['pushes'] ?? 0),
          });
          ctx.log(`coalescing run ${run + 1}/${ctx.runs}: ${pushesPerS.toFixed(1)} pushes/s carrying ${Math.round(rates.deliveredPerS)} messages/s`);
          if (phase.profile) ctx.log(phase.profile);
        } finally {
          await senders.stop();
        }
      }
    } catch (error) {
      return [failed('coalescing', 'coalescing: UI pushes during a 20k/s burst', 'pushes/s', TARGET, error)];
    }
    return [
      measured({
        id: 'coalescing',
        title: 'coalescing: UI pushes during a 20k/s burst',
        unit: 'pushes/s',
        target: TARGET,
        runs,
        details: medianDetails(details, 1),
        note: `${BURST_RATE} datagrams/s from ${PEERS} peers in ${sizes.senders} sender process(es); batcher as in the IPC bridge (16 ms, 2,000 max)`,
      }),
    ];
  },
};
