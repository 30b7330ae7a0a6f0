/**
 * Main-process stalls while a newcomer takes in a history answer: a core holding 500 stored
 * messages (workers/history-core.ts, 'answerer') answers the sync of a core joining the room
 * ('newcomer'), both with a history store on disk; the figure is the newcomer's event-loop delay
 * p99 from its join until the 500 messages were delivered (every one verified, stored, pushed
 * through the UI batcher on that one thread, as in Electron's main process).
 */
import { profileDirFor } from '../lib/context.js';
import { nextEndpoint } from '../lib/endpoints.js';
import { sleep } from '../lib/load.js';
import { LOOP_DELAY_RESOLUTION_MS } from '../lib/loop-delay.js';
import { summarizeWorkerProfile } from '../lib/profiles.js';
import { failed, measured, medianDetails } from '../lib/result.js';
import type { BenchContext, Figure, FigureResult, Target } from '../lib/types.js';
import { BenchWorker } from '../lib/worker-host.js';
import type { HistoryCoreConfig, NewcomerReport } from '../workers/history-core.js';

const TARGET: Target = { op: '<=', threshold: 10, text: '<= 10 ms' };
const MESSAGES = 500;
const TEXT_BYTES = 80;
const HISTORY_AGE_MS = 1_500;
const ID = 'loop-delay-history';
const TITLE = 'main-process loop delay p99, 500-message history answer';

async function measureRun(run: number, profileDir: string | null, log: (line: string) => void): Promise<NewcomerReport> {
  const endpoint = nextEndpoint();
  const base = { endpoint, messages: MESSAGES, textBytes: TEXT_BYTES };
  const answerer = await BenchWorker.start('history-core', { name: `${ID}-r${run}-answerer`, config: { ...base, role: 'answerer' } satisfies HistoryCoreConfig });
  const stored = performance.now();
  try {
    const newcomer = await BenchWorker.start('history-core', { name: `${ID}-r${run}-newcomer`, config: { ...base, role: 'newcomer' } satisfies HistoryCoreConfig, profileDir });
    let report: NewcomerReport;
    try {
      // Messages stamped less than a second before a join are taken as live (receive-pipeline.ts):
      // the answer must be history, as a newcomer's is.
      await sleep(Math.max(0, HISTORY_AGE_MS - (performance.now() - stored)));
      report = await newcomer.worker.request<NewcomerReport>('join', undefined, 30_000);
    } finally {
      await newcomer.worker.stop();
    }
    if (profileDir) log(await summarizeWorkerProfile(profileDir, `${ID}-r${run}-newcomer`, report.window));
    return report;
  } finally {
    await answerer.worker.stop();
  }
}

export const loopDelayHistory: Figure = {
  id: ID,
  title: TITLE,
  side: 'core',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    const runs: number[] = [];
    const details: Record<string, number>[] = [];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        const r = await measureRun(run, profileDirFor(ctx, run), ctx.log);
        if (r.historyMessages < MESSAGES) throw new Error(`the newcomer got ${r.historyMessages} of ${MESSAGES} history messages (${r.messages} messages in all, ${r.windowMs.toFixed(0)} ms)`);
        runs.push(r.delay.p99Ms);
        details.push({
          'loop delay p50 ms': r.delay.p50Ms,
          'loop delay max ms': r.delay.maxMs,
          'timer ticks sampled': r.delay.samples,
          'history messages': r.historyMessages,
          'join to first message ms': r.firstMs,
          'join to last message ms': r.lastMs,
          'newcomer CPU ms in the window': r.cpuMs,
          'CPU us per history message': (1000 * r.cpuMs) / r.historyMessages,
        });
        ctx.log(`${ID} run ${run + 1}/${ctx.runs}: loop delay p99 ${r.delay.p99Ms.toFixed(2)} ms (max ${r.delay.maxMs.toFixed(1)}), ${r.historyMessages} history messages in ${(r.lastMs - r.firstMs).toFixed(0)} ms, ${r.cpuMs.toFixed(0)} ms CPU`);
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
        note: `monitorEventLoopDelay (resolution ${LOOP_DELAY_RESOLUTION_MS} ms, subtracted) in the newcomer's process from its join to its ${MESSAGES}th history message + 100 ms; the answerer sent ${MESSAGES} messages of ${TEXT_BYTES} bytes (stored on disk, kept for newcomers) at least ${HISTORY_AGE_MS / 1000} s before (so they are history, not live); both cores have a history store in a temporary folder; the answer is paced by the answerer (40 datagrams per 20 ms)`,
      }),
    ];
  },
};
