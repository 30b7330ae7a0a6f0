/**
 * Ingest, passphrase room: the core's whole receive path for sealed, signed frames (flood guard,
 * decode, replay pre-check, AES-256-GCM open, Ed25519 verify, inner schema, dedupe, order, UI
 * batch) under overload, against the physical limit of that path: bare Ed25519 verifications
 * per second of the same kind of datagram, measured in the same run on the same machine.
 */
import { randomBytes } from 'node:crypto';
import { generateIdentity, verifySignature } from '../../electron/core/crypto/identity.js';
import { compareReceivers, phaseRates } from '../lib/load.js';
import { failed, measured, medianDetails } from '../lib/result.js';
import { profileDirFor } from '../lib/context.js';
import type { BenchContext, Figure, FigureResult, Target } from '../lib/types.js';

const TARGET: Target = { op: '>=', threshold: 0.7, text: '>= 0.7' };
const PEERS_PER_SENDER = 64;
const TEXT_BYTES = 80;

/** Ed25519 verifications per second of a signed datagram-sized payload, one thread, as the core does them. */
function bareVerificationsPerSecond(ms: number): number {
  const identity = generateIdentity();
  const data = randomBytes(400);
  const signature = identity.sign(data);
  let count = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) if (verifySignature(identity.publicKey, data, signature)) count++;
  }
  return count / (ms / 1000);
}

export const ingestPassphrase: Figure = {
  id: 'ingest-passphrase',
  title: 'ingest, passphrase room',
  side: 'core',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    const sizes = ctx.quick ? { senders: 1, warmupMs: 300, measureMs: 500, verifyMs: 200 } : { senders: 2, warmupMs: 1_500, measureMs: 3_000, verifyMs: 1_000 };
    const runs: number[] = [];
    const cpuRuns: number[] = [];
    const details: Record<string, number>[] = [];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        const keyHex = randomBytes(32).toString('hex');
        const verifies = bareVerificationsPerSecond(sizes.verifyMs);
        const blast = await compareReceivers({
          senderProcesses: sizes.senders,
          sender: { peers: PEERS_PER_SENDER, rate: null, total: null, textBytes: TEXT_BYTES, hellos: false, keyHex },
          coreFirst: run % 2 === 1,
          warmupMs: sizes.warmupMs,
          measureMs: sizes.measureMs,
          profileDir: profileDirFor(ctx, run),
          name: `ingest-sealed-r${run}`,
          keyHex,
        });
        const c = phaseRates(blast.core);
        const b = phaseRates(blast.bare);
        runs.push(c.deliveredPerS / verifies);
        // The signing senders take most of the 2 cores: per CPU second is the fairer comparison.
        cpuRuns.push(1e6 / verifies / c.cpuUsPerDatagram);
        const x = blast.core.receiver.extra;
        details.push({
          'bare Ed25519 verifications/s': verifies,
          'core messages/s': c.deliveredPerS,
          'core CPU %': c.cpuPct,
          'core CPU us/datagram': c.cpuUsPerDatagram,
          'sent/s (core phase)': c.sentPerS,
          'core drop %': c.dropPct,
          'bare datagrams/s': b.socketPerS,
          'core invalid': x['invalidFrames'] ?? 0,
        });
        ctx.log(`ingest (passphrase) run ${run + 1}/${ctx.runs}: ${Math.round(verifies)} verifications/s bare, core ${Math.round(c.deliveredPerS)} messages/s`);
        for (const p of [blast.core.profile]) if (p) ctx.log(p);
      }
    } catch (error) {
      return [
        failed('ingest-passphrase', 'ingest, passphrase room', 'ratio', TARGET, error),
        failed('ingest-passphrase-cpu', 'ingest, passphrase room (CPU per datagram)', 'ratio', TARGET, error),
      ];
    }
    return [
      measured({
        id: 'ingest-passphrase',
        title: 'ingest, passphrase room',
        unit: 'ratio',
        target: TARGET,
        runs,
        details: medianDetails(details, 1),
        note: `core messages/s (sealed, signed frames, ${sizes.senders} sender process(es) x ${PEERS_PER_SENDER} peers blasting) / bare Ed25519 verifications/s in the same run`,
      }),
      measured({
        id: 'ingest-passphrase-cpu',
        title: 'ingest, passphrase room (CPU per datagram)',
        unit: 'ratio',
        target: TARGET,
        runs: cpuRuns,
        details: {},
        note: 'CPU time of one bare Ed25519 verification / the core CPU time per sealed datagram received',
      }),
    ];
  },
};
