/**
 * One-way latency at 1,000 msg/s between two processes: core send() in one, the receiving
 * core's message event in the other, against bare dgram sockets in the same layout and run.
 * Both processes read CLOCK_MONOTONIC (process.hrtime), which is host-wide on Linux, so the
 * send time in the text can be subtracted from the receive time directly.
 */
import { sleep } from '../lib/load.js';
import { profileDirFor } from '../lib/context.js';
import { nextEndpoint } from '../lib/endpoints.js';
import { summarizeWorkerProfile } from '../lib/profiles.js';
import { failed, measured, medianDetails } from '../lib/result.js';
import { percentile } from '../lib/stats.js';
import type { BenchContext, Figure, FigureResult, Target } from '../lib/types.js';
import { BenchWorker } from '../lib/worker-host.js';
import type { LatencyReport } from '../workers/latency-bare.js';

const TARGET: Target = { op: '<=', threshold: 1, text: '<= 1 ms (core p99 <= bare p99 + 1 ms)' };
const RATE = 1_000;
const TEXT_BYTES = 80;

interface Phase {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly lostPct: number;
  readonly uiP50: number;
  readonly uiP99: number;
  readonly extra: Readonly<Record<string, number>>;
}

async function measureLatency(kind: 'bare' | 'core', warmup: number, count: number, profileDir: string | null, name: string): Promise<Phase> {
  const endpoint = nextEndpoint();
  const script = `latency-${kind}`;
  const receiver = await BenchWorker.start(script, { name: `${name}-receive`, config: { endpoint, role: 'receive', textBytes: TEXT_BYTES }, profileDir });
  let report: LatencyReport;
  try {
    const sender = await BenchWorker.start(script, { name: `${name}-send`, config: { endpoint, role: 'send', textBytes: TEXT_BYTES } });
    try {
      await sleep(300);
      await sender.worker.request('go', { rate: RATE, count: warmup + count }, 10_000 + ((warmup + count) * 3_000) / RATE);
      await sleep(200);
      report = await receiver.worker.request<LatencyReport>('report');
    } finally {
      await sender.worker.stop();
    }
  } finally {
    await receiver.worker.stop();
  }
  if (profileDir) await summarizeWorkerProfile(profileDir, `${name}-receive`, null);
  const measuredSamples = Array.from({ length: count }, (_, i) => report.samplesMs[warmup + i] ?? Number.NaN);
  const arrived = measuredSamples.filter(Number.isFinite);
  const ui = report.uiSamplesMs.slice(warmup).filter(Number.isFinite);
  return {
    p50: percentile(arrived, 50),
    p99: percentile(arrived, 99),
    max: Math.max(...arrived),
    lostPct: (100 * (count - arrived.length)) / count,
    uiP50: ui.length > 0 ? percentile(ui, 50) : Number.NaN,
    uiP99: ui.length > 0 ? percentile(ui, 99) : Number.NaN,
    extra: report.extra,
  };
}

export const latency: Figure = {
  id: 'latency',
  title: 'one-way latency',
  side: 'core',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    // 1,000 msg/s from one peer exceeds the default flood limit (500/s, burst 2,000) after ~4 s:
    // each phase stays well inside that (warm-up + probes <= 2,500 messages).
    const sizes = ctx.quick ? { warmup: 100, count: 300 } : { warmup: 500, count: 2_000 };
    const runs: number[] = [];
    const details: Record<string, number>[] = [];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        const order: ('bare' | 'core')[] = run % 2 === 0 ? ['bare', 'core'] : ['core', 'bare'];
        const result: Partial<Record<'bare' | 'core', Phase>> = {};
        for (const kind of order) result[kind] = await measureLatency(kind, sizes.warmup, sizes.count, profileDirFor(ctx, run), `latency-r${run}-${kind}`);
        const { bare, core } = result;
        if (!bare || !core) throw new Error('a latency phase did not run');
        runs.push(core.p99 - bare.p99);
        details.push({
          'core p50 ms': core.p50,
          'core p99 ms': core.p99,
          'bare p50 ms': bare.p50,
          'bare p99 ms': bare.p99,
          'core max ms': core.max,
          'bare max ms': bare.max,
          'core UI push p50 ms': core.uiP50,
          'core UI push p99 ms': core.uiP99,
          'core lost %': core.lostPct,
          'bare lost %': bare.lostPct,
          'core flood-dropped': core.extra['floodDropped'] ?? 0,
        });
        ctx.log(`latency run ${run + 1}/${ctx.runs}: core p50 ${core.p50.toFixed(3)} p99 ${core.p99.toFixed(3)} ms; bare p50 ${bare.p50.toFixed(3)} p99 ${bare.p99.toFixed(3)} ms`);
      }
    } catch (error) {
      return [failed('latency', 'one-way latency p99, core - bare', 'ms', TARGET, error)];
    }
    return [
      measured({
        id: 'latency',
        title: 'one-way latency p99, core - bare',
        unit: 'ms',
        target: TARGET,
        runs,
        details: medianDetails(details, 3),
        note: `${RATE} msg/s, ${sizes.count} probes after ${sizes.warmup} warm-up, sender and receiver in two processes; core: send() to the message event (UI push: + batcher)`,
      }),
    ];
  },
};
