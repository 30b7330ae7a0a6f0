/**
 * Ingest, plain room: the core's whole receive path (flood guard, decode, validate, dedupe,
 * loss tracking, order, events batched for the UI) against a bare dgram receiver fed by the
 * same sender processes in the same run.
 *
 * Two comparisons per run:
 *  - throughput: 2 sender processes blast pre-encoded frames from 64 fake peers each, more
 *    than even the bare receiver takes (its socket drops: shown as bare drop %), and the ratio
 *    is messages/s out of the core's batcher ÷ datagrams/s into the bare receiver;
 *  - CPU: the same senders paced to a rate neither side drops at, and the ratio is the bare
 *    receiver's CPU time per datagram ÷ the core's (process.cpuUsage in each receiver).
 */
import { compareReceivers, phaseRates } from '../lib/load.js';
import { failed, measured, medianDetails } from '../lib/result.js';
import type { BenchContext, Figure, FigureResult, Target } from '../lib/types.js';
import { profileDirFor } from '../lib/context.js';

const TARGET: Target = { op: '>=', threshold: 0.8, text: '>= 0.8' };
const PEERS_PER_SENDER = 64; // 64 sources x 500/s flood limit each: the guard never binds
const TEXT_BYTES = 80;

export const ingestPlain: Figure = {
  id: 'ingest-plain',
  title: 'ingest, plain room',
  side: 'core',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    const sizes = ctx.quick
      ? { senders: 1, warmupMs: 300, measureMs: 500, pacedRate: 2_000 }
      : { senders: 2, warmupMs: 1_500, measureMs: 3_000, pacedRate: 5_000 };
    const blastRuns: number[] = [];
    const cpuRuns: number[] = [];
    const blastDetails: Record<string, number>[] = [];
    const cpuDetails: Record<string, number>[] = [];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        const coreFirst = run % 2 === 1;
        const profileDir = profileDirFor(ctx, run);
        const blast = await compareReceivers({
          senderProcesses: sizes.senders,
          sender: { peers: PEERS_PER_SENDER, rate: null, total: null, textBytes: TEXT_BYTES, hellos: false },
          coreFirst,
          warmupMs: sizes.warmupMs,
          measureMs: sizes.measureMs,
          profileDir,
          name: `ingest-blast-r${run}`,
        });
        const b = phaseRates(blast.bare);
        const c = phaseRates(blast.core);
        blastRuns.push(c.deliveredPerS / b.socketPerS);
        const x = blast.core.receiver.extra;
        blastDetails.push({
          'bare datagrams/s': b.socketPerS,
          'core messages/s': c.deliveredPerS,
          'sent/s (bare phase)': b.sentPerS,
          'sent/s (core phase)': c.sentPerS,
          'bare drop %': b.dropPct,
          'core drop %': c.dropPct,
          'bare CPU %': b.cpuPct,
          'core CPU %': c.cpuPct,
          'core gaps detected': x['lossDetected'] ?? 0,
          'core NACKs sent': x['nacksSent'] ?? 0,
          'core flood-dropped': x['floodDropped'] ?? 0,
        });
        ctx.log(`ingest run ${run + 1}/${ctx.runs} overload: bare ${Math.round(b.socketPerS)}/s (drops ${b.dropPct.toFixed(0)}%), core ${Math.round(c.deliveredPerS)}/s (drops ${c.dropPct.toFixed(0)}%)`);
        for (const p of [blast.bare.profile, blast.core.profile]) if (p) ctx.log(p);

        const paced = await compareReceivers({
          senderProcesses: sizes.senders,
          sender: { peers: PEERS_PER_SENDER, rate: sizes.pacedRate / sizes.senders, total: null, textBytes: TEXT_BYTES, hellos: false },
          coreFirst,
          warmupMs: sizes.warmupMs,
          measureMs: sizes.measureMs,
          profileDir,
          name: `ingest-paced-r${run}`,
        });
        const pb = phaseRates(paced.bare);
        const pc = phaseRates(paced.core);
        cpuRuns.push(pb.cpuUsPerDatagram / pc.cpuUsPerDatagram);
        cpuDetails.push({
          'rate/s': sizes.pacedRate,
          'bare CPU us/datagram': pb.cpuUsPerDatagram,
          'core CPU us/datagram': pc.cpuUsPerDatagram,
          'bare drop %': pb.dropPct,
          'core drop %': pc.dropPct,
          'core messages/s': pc.deliveredPerS,
          'core NACKs sent': paced.core.receiver.extra['nacksSent'] ?? 0,
        });
        ctx.log(`ingest run ${run + 1}/${ctx.runs} paced ${sizes.pacedRate}/s: bare ${pb.cpuUsPerDatagram.toFixed(1)} us/datagram, core ${pc.cpuUsPerDatagram.toFixed(1)} us/datagram`);
        for (const p of [paced.bare.profile, paced.core.profile]) if (p) ctx.log(p);
      }
    } catch (error) {
      return [
        failed('ingest-plain', 'ingest, plain room (throughput under overload)', 'ratio', TARGET, error),
        failed('ingest-plain-cpu', 'ingest, plain room (CPU per datagram)', 'ratio', TARGET, error),
      ];
    }
    return [
      measured({
        id: 'ingest-plain',
        title: 'ingest, plain room (throughput under overload)',
        unit: 'ratio',
        target: TARGET,
        runs: blastRuns,
        details: medianDetails(blastDetails, 1),
        note: `core messages/s out of the UI batcher / bare datagrams/s; ${sizes.senders} sender process(es) x ${PEERS_PER_SENDER} peers blasting, bare receiver drops too`,
      }),
      measured({
        id: 'ingest-plain-cpu',
        title: 'ingest, plain room (CPU per datagram)',
        unit: 'ratio',
        target: TARGET,
        runs: cpuRuns,
        details: medianDetails(cpuDetails, 2),
        note: `bare CPU time per datagram / core's, at ${sizes.pacedRate}/s paced (below both sides' capacity)`,
      }),
    ];
  },
};
