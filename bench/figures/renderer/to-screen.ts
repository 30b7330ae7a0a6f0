/**
 * To the screen: a peer's datagram sent on loopback to the message painted in Chromium, p99 at
 * 100 msg/s into the open room. The whole real path: core receive, the IPC bridge's batcher,
 * the push (a WebSocket here, IPC in Electron), the store, React, the virtualized log, a frame.
 * Send time: this process's clock just before socket.send(); paint time: the page's clock in
 * the first task after the frame in which the probe's row is inside the log's visible box.
 * Both are performance.timeOrigin + performance.now() (wall clock at sub-ms resolution; the
 * page's is coarsened to 0.1 ms); their offset is measured by round trips before and after
 * and subtracted.
 */
import { benchRoom, chromiumMissing, clockOffset, openApp, sleep, type FigureSpec } from '../../renderer/app.js';
import { startPageProfile, stopPageProfile } from '../../renderer/profile.js';
import { sendProbes } from '../../renderer/probe-sender.js';
import { profileDirFor } from '../../lib/context.js';
import { failed, measured, medianDetails } from '../../lib/result.js';
import { percentile } from '../../lib/stats.js';
import type { BenchContext, Figure, FigureResult } from '../../lib/types.js';

const SPEC: FigureSpec = { id: 'to-screen', title: 'to the screen p99', unit: 'ms', target: { op: '<=', threshold: 25, text: '<= 25 ms' } };
const RATE = 100;
const TEXT_BYTES = 80;

interface ProbeTimes {
  readonly index: number;
  readonly received: number | null;
  readonly dom: number | null;
  readonly painted: number | null;
}

async function measureRun(warmup: number, count: number, profileDir: string | null, log: (line: string) => void): Promise<Record<string, number>> {
  const room = benchRoom('Screen room');
  const app = await openApp([room]);
  try {
    const before = await clockOffset(app.page);
    await app.page.evaluate('window.__mcbench.watchProbes()');
    if (profileDir) await startPageProfile(app.cdp);
    const { sentAt, sendErrors } = await sendProbes(room.endpoint, { rate: RATE, count: warmup + count, textBytes: TEXT_BYTES });
    // The last probes: batcher, push, render, frame; then whatever never showed is lost.
    const deadline = Date.now() + 3_000;
    for (;;) {
      await sleep(100);
      const last = warmup + count - 1;
      if ((await app.page.evaluate(`window.__mcbench.probePainted(${last})`)) === true || Date.now() > deadline) break;
    }
    await sleep(200);
    if (profileDir) log(await stopPageProfile(app.cdp, profileDir, 'to-screen'));
    const probes = (await app.page.evaluate('window.__mcbench.probeResults()')) as ProbeTimes[];
    const after = await clockOffset(app.page);
    const offset = (before.offsetMs + after.offsetMs) / 2;
    const byIndex = new Map(probes.map((p) => [p.index, p]));
    const toScreen: number[] = [];
    const toPage: number[] = [];
    const pageToDom: number[] = [];
    const domToPaint: number[] = [];
    let lost = 0;
    let lostInDom = 0;
    let lostInPage = 0;
    for (let i = warmup; i < warmup + count; i++) {
      const probe = byIndex.get(i);
      const sent = sentAt[i];
      if (!probe || probe.painted === null || sent === undefined) {
        lost++;
        if (probe?.dom != null) lostInDom++;
        if (probe?.received != null) lostInPage++;
        continue;
      }
      toScreen.push(probe.painted - offset - sent);
      if (probe.received !== null && probe.dom !== null) {
        toPage.push(probe.received - offset - sent);
        pageToDom.push(probe.dom - probe.received);
      }
      if (probe.dom !== null) domToPaint.push(probe.painted - probe.dom);
    }
    if (toScreen.length === 0) throw new Error(`no probe reached the screen (${probes.length} rows seen)`);
    return {
      p99: percentile(toScreen, 99),
      'p50 ms': percentile(toScreen, 50),
      'p95 ms': percentile(toScreen, 95),
      'max ms': Math.max(...toScreen),
      'send to page p50 ms': percentile(toPage, 50),
      'send to page p99 ms': percentile(toPage, 99),
      'page to DOM p50 ms': percentile(pageToDom, 50),
      'page to DOM p99 ms': percentile(pageToDom, 99),
      'DOM to painted p50 ms': percentile(domToPaint, 50),
      'DOM to painted p99 ms': percentile(domToPaint, 99),
      'not painted (left out of the percentiles)': lost,
      '... of which reached the page': lostInPage,
      '... of which had a row in the DOM': lostInDom,
      'send errors': sendErrors,
      'clock offset ms': offset,
      'clock offset +/- ms': Math.max(before.uncertaintyMs, after.uncertaintyMs),
      'clock drift ms': after.offsetMs - before.offsetMs,
    };
  } finally {
    await app.close();
  }
}

export const toScreen: Figure = {
  id: SPEC.id,
  title: SPEC.title,
  side: 'renderer',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    const missing = chromiumMissing([SPEC]);
    if (missing) return missing;
    const sizes = ctx.quick ? { warmup: 20, count: 100 } : { warmup: 100, count: 1_000 };
    const runs: number[] = [];
    const details: Record<string, number>[] = [];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        const { p99, ...rest } = await measureRun(sizes.warmup, sizes.count, profileDirFor(ctx, run), ctx.log);
        if (p99 === undefined) throw new Error('no p99');
        runs.push(p99);
        details.push(rest);
        ctx.log(`to-screen run ${run + 1}/${ctx.runs}: p50 ${rest['p50 ms']?.toFixed(1)} p99 ${p99.toFixed(1)} ms (to page p99 ${rest['send to page p99 ms']?.toFixed(1)}, not painted ${rest['not painted (left out of the percentiles)']})`);
      }
    } catch (error) {
      return [failed(SPEC.id, SPEC.title, SPEC.unit, SPEC.target, error)];
    }
    return [
      measured({
        ...SPEC,
        runs,
        details: medianDetails(details, 3),
        note: `${RATE} msg/s, ${sizes.count} probes after ${sizes.warmup} warm-up from one peer on loopback into the open room of the real page (production build) in headless Chromium via the e2e harness; sent (socket.send) to the first frame showing the row inside the log's visible box (rAF + posted task); both clocks timeOrigin + now(), offset measured and subtracted; send to page = core + batcher (waits up to 16 ms) + WebSocket push`,
      }),
    ];
  },
};
