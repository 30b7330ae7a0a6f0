/**
 * Presence traffic per room at 300 members: a real core (workers/wire-core.ts) hears hellos from
 * 299 fake peers on loopback (one socket and signing identity each), then announces; its hello
 * says the interval it uses at that room size (`ivl`). Figure: its hello's bytes × 300 ÷ that
 * interval, i.e. what 300 members like it put on the air per second, on average, by hellos alone
 * (greetings for newcomers and the 0.5-1.5 jitter of each wait are left out: the mean wait is
 * the interval).
 */
import { nextEndpoint } from '../lib/endpoints.js';
import { SenderGroup } from '../lib/load.js';
import { failed, measured, medianDetails } from '../lib/result.js';
import type { BenchContext, Figure, FigureResult, Target } from '../lib/types.js';
import { BenchWorker } from '../lib/worker-host.js';
import type { PresenceWire, WireConfig } from '../workers/wire-core.js';
import { ChatFrameMaker, fakePeer } from '../lib/frames.js';

const TARGET: Target = { op: '<=', threshold: 2_000, text: '<= 2,000 B/s' };
const MEMBERS = 300;
const NICKNAME = 'student7';
const ID = 'presence-traffic';
const TITLE = 'presence traffic per room, 300 members';

async function measureRun(run: number): Promise<PresenceWire> {
  const endpoint = nextEndpoint();
  const { worker } = await BenchWorker.start('wire-core', { name: `${ID}-r${run}-core`, config: { endpoint, nickname: NICKNAME } satisfies WireConfig });
  try {
    // Hellos first ('go'), then one chat datagram a second in all: the peers only need to be seen.
    const senders = await SenderGroup.start(1, { targets: [endpoint], peers: MEMBERS - 1, rate: 1, total: null, textBytes: 20, hellos: true }, `${ID}-r${run}-peers`);
    try {
      await senders.go();
      return await worker.request<PresenceWire>('presence', MEMBERS - 1, 30_000);
    } finally {
      await senders.stop();
    }
  } finally {
    await worker.stop();
  }
}

export const presenceTraffic: Figure = {
  id: ID,
  title: TITLE,
  side: 'core',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    const runs: number[] = [];
    const details: Record<string, number>[] = [];
    try {
      // A fake peer's hello as bench/lib/frames.ts encodes it (codec + FrameGate), for comparison.
      const fakeHelloBytes = new ChatFrameMaker(fakePeer(0), 20).hello().length;
      for (let run = 0; run < Math.min(ctx.runs, 3); run++) {
        const r = await measureRun(run);
        const bytesPerS = (r.helloBytes * MEMBERS * 1000) / r.intervalMs;
        runs.push(bytesPerS);
        details.push({ 'core hello bytes': r.helloBytes, 'announce interval s': r.intervalMs / 1000, 'peers the core saw': r.peers, 'fake peer hello bytes': fakeHelloBytes, 'per member B/s': bytesPerS / MEMBERS });
        ctx.log(`${ID} run ${run + 1}: hello ${r.helloBytes} bytes every ${(r.intervalMs / 1000).toFixed(1)} s with ${r.peers + 1} members: ${Math.round(bytesPerS)} B/s per room`);
      }
    } catch (error) {
      return [failed(ID, TITLE, 'B/s', TARGET, error)];
    }
    return [
      measured({
        id: ID,
        title: TITLE,
        unit: 'B/s',
        target: TARGET,
        runs,
        details: medianDetails(details, 1),
        note: `the real core's hello (nickname "${NICKNAME}", app multicast-chat/<version>) captured on loopback once it knew ${MEMBERS - 1} other members, times ${MEMBERS}, divided by the interval its hello states (ivl: what the core announces with at that size); greetings and jitter left out`,
      }),
    ];
  },
};
