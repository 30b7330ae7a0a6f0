/**
 * Receive floor: what the core's whole receive path costs per datagram against the least any
 * design that verifies every datagram can cost, both measured in the same run. The same paced
 * senders feed a bare dgram receiver and the core (order alternated over runs); the floor is
 * the bare receiver's CPU µs per datagram plus one bare Ed25519 verification (plus one bare
 * AES-256-GCM open in a passphrase room), measured in this process between the phases
 * (lib/floor.ts). Figure = floor ÷ core CPU µs per datagram: 1 is the floor itself.
 */
import { compareReceivers, phaseRates } from './load.js';
import { measureFloor, randomKeyHex } from './floor.js';
import { profileDirFor } from './context.js';
import { failed, measured, medianDetails } from './result.js';
import type { BenchContext, FigureResult, Target } from './types.js';

const TARGET: Target = { op: '>=', threshold: 0.8, text: '>= 0.8' };
const PEERS_PER_SENDER = 64; // 64 sources: no source near the flood limit
const TEXT_BYTES = 80;

export interface FloorSpec {
  readonly id: string;
  readonly title: string;
  readonly sealed: boolean;
}

export async function runReceiveFloor(ctx: BenchContext, spec: FloorSpec): Promise<FigureResult[]> {
  // Paced well below the core's capacity (~5,000/s here), so neither side drops and the CPU per
  // datagram is not flattered by batching under overload.
  const sizes = ctx.quick ? { senders: 1, warmupMs: 250, measureMs: 500, rate: 2_000, floorMs: 100 } : { senders: 2, warmupMs: 1_500, measureMs: 3_000, rate: 3_000, floorMs: 400 };
  const runs: number[] = [];
  const details: Record<string, number>[] = [];
  try {
    for (let run = 0; run < ctx.runs; run++) {
      const keyHex = spec.sealed ? randomKeyHex() : undefined;
      const paced = await compareReceivers({
        senderProcesses: sizes.senders,
        sender: { peers: PEERS_PER_SENDER, rate: sizes.rate / sizes.senders, total: null, textBytes: TEXT_BYTES, hellos: true, ...(keyHex ? { keyHex } : {}) },
        coreFirst: run % 2 === 1,
        warmupMs: sizes.warmupMs,
        measureMs: sizes.measureMs,
        profileDir: profileDirFor(ctx, run),
        name: `${spec.id}-r${run}`,
        ...(keyHex ? { keyHex } : {}),
      });
      const floor = measureFloor(TEXT_BYTES, sizes.floorMs, keyHex);
      const bare = phaseRates(paced.bare);
      const core = phaseRates(paced.core);
      const floorUs = bare.cpuUsPerDatagram + floor.verifyUs + floor.openUs;
      runs.push(floorUs / core.cpuUsPerDatagram);
      const x = paced.core.receiver.extra;
      details.push({
        'rate/s': sizes.rate,
        'datagram bytes': floor.datagramBytes,
        'bare receive CPU us/datagram': bare.cpuUsPerDatagram,
        'bare Ed25519 verify CPU us': floor.verifyUs,
        ...(spec.sealed ? { 'bare AES-256-GCM open CPU us': floor.openUs } : {}),
        'floor us/datagram': floorUs,
        'core CPU us/datagram': core.cpuUsPerDatagram,
        'core above the floor us': core.cpuUsPerDatagram - floorUs,
        'bare drop %': bare.dropPct,
        'core drop %': core.dropPct,
        'core messages/s': core.deliveredPerS,
        'core invalid': x['invalidFrames'] ?? 0,
        // Should be 0: a datagram refused unverified (v2, no key yet) would flatter the core's CPU.
        'core unknown sender': x['unknownSender'] ?? 0,
        'core NACKs sent': x['nacksSent'] ?? 0,
      });
      ctx.log(
        `${spec.id} run ${run + 1}/${ctx.runs} at ${sizes.rate}/s: floor ${floorUs.toFixed(1)} us (bare rx ${bare.cpuUsPerDatagram.toFixed(1)} + verify ${floor.verifyUs.toFixed(1)}${spec.sealed ? ` + open ${floor.openUs.toFixed(1)}` : ''}), core ${core.cpuUsPerDatagram.toFixed(1)} us/datagram`,
      );
      for (const p of [paced.bare.profile, paced.core.profile]) if (p) ctx.log(p);
    }
  } catch (error) {
    return [failed(spec.id, spec.title, 'ratio', TARGET, error)];
  }
  return [
    measured({
      id: spec.id,
      title: spec.title,
      unit: 'ratio',
      target: TARGET,
      runs,
      details: medianDetails(details, 2),
      note: `(bare dgram receive CPU us + one bare Ed25519 verify${spec.sealed ? ' + one bare AES-256-GCM open' : ''}) / core CPU us per ${spec.sealed ? 'sealed, signed' : 'signed'} datagram; ${sizes.rate}/s paced from ${sizes.senders} sender process(es) x ${PEERS_PER_SENDER} peers, ${TEXT_BYTES}-byte texts; verify and open of the same datagram's bytes with parsed keys, CPU time, in the same run`,
    }),
  ];
}
