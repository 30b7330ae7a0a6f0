/**
 * Memory (core): RSS of a core process in 10 rooms with 100 fake peers (each announced by a
 * hello frame in every room) after 100,000 chat messages were received.
 */
import { sleep, SenderGroup } from '../lib/load.js';
import { nextEndpoint } from '../lib/endpoints.js';
import { failed, measured, medianDetails } from '../lib/result.js';
import type { BenchContext, Figure, FigureResult, Target } from '../lib/types.js';
import { BenchWorker } from '../lib/worker-host.js';
import type { MemoryReport } from '../workers/memory-core.js';

const TARGET: Target = { op: '<=', threshold: 150, text: '<= 150 MB' };
const ROOMS = 10;
const PEERS = 100;

/** Waits until the core has counted `total` messages, or its count stops moving for a second. */
async function waitForMessages(worker: BenchWorker, total: number): Promise<number> {
  let last = -1;
  let still = 0;
  for (;;) {
    const { messages } = await worker.request<{ messages: number }>('progress');
    if (messages >= total) return messages;
    still = messages === last ? still + 1 : 0;
    if (still >= 5) return messages;
    last = messages;
    await sleep(200);
  }
}

export const memoryCore: Figure = {
  id: 'memory-core',
  title: 'memory (core)',
  side: 'core',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    const sizes = ctx.quick ? { messages: 3_000, rate: 10_000 } : { messages: 100_000, rate: 12_500 };
    const runs: number[] = [];
    const details: Record<string, number>[] = [];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        const rooms = Array.from({ length: ROOMS }, () => nextEndpoint());
        const { worker, ready } = await BenchWorker.start<{ rssMB: number; heapUsedMB: number }>('memory-core', {
          name: `memory-r${run}`,
          config: { rooms },
          nodeFlags: ['--expose-gc'],
        });
        let report: MemoryReport;
        try {
          const senders = await SenderGroup.start(1, { targets: rooms, peers: PEERS, rate: sizes.rate, total: sizes.messages, textBytes: 80, hellos: true }, `memory-r${run}-sender`);
          try {
            await senders.go();
            await senders.finished(10_000 + (3 * 1000 * sizes.messages) / sizes.rate);
          } finally {
            await senders.stop();
          }
          await waitForMessages(worker, sizes.messages);
          report = await worker.request<MemoryReport>('measure');
        } finally {
          await worker.stop();
        }
        runs.push(report.rssMB);
        details.push({
          'RSS after join MB': ready.rssMB,
          'heap used MB': report.heapUsedMB,
          'external+buffers MB': report.externalMB,
          'peak RSS MB': report.maxRssMB,
          'RSS after GC MB': report.rssAfterGcMB,
          'heap after GC MB': report.heapUsedAfterGcMB,
          'messages received': report.messages,
          'peers per room (min)': report.minPeersPerRoom,
        });
        ctx.log(`memory run ${run + 1}/${ctx.runs}: RSS ${report.rssMB.toFixed(1)} MB (heap ${report.heapUsedMB.toFixed(1)} MB) after ${report.messages} messages, ${report.minPeersPerRoom}-${report.maxPeersPerRoom} peers per room`);
      }
    } catch (error) {
      return [failed('memory-core', 'memory (core): RSS, 10 rooms, 100 peers', 'MB', TARGET, error)];
    }
    return [
      measured({
        id: 'memory-core',
        title: 'memory (core): RSS, 10 rooms, 100 peers',
        unit: 'MB',
        target: TARGET,
        runs,
        details: medianDetails(details, 1),
        note: `${sizes.messages} messages at ${sizes.rate}/s over ${ROOMS} rooms from ${PEERS} peers; RSS without forcing GC, bundled core on Node (Electron's main process adds its own baseline)`,
      }),
    ];
  },
};
