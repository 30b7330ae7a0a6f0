/**
 * Renderer first paint: navigation start to first-contentful-paint (PerformanceObserver 'paint'
 * entries) of the production page, loaded in a fresh headless Chromium profile from the
 * harness's server on 127.0.0.1 (the app:// protocol serves the same files from disk in
 * Electron). Each run is a new core, server and browser, so nothing is cached.
 */
import { benchRoom, chromiumMissing, loadApp, openApp, until, type FigureSpec } from '../../renderer/app.js';
import { failed, measured, medianDetails } from '../../lib/result.js';
import type { BenchContext, Figure, FigureResult } from '../../lib/types.js';

const SPEC: FigureSpec = { id: 'renderer-first-paint', title: 'renderer first paint', unit: 'ms', target: { op: '<=', threshold: 500, text: '<= 500 ms' } };

interface PaintEntry {
  readonly name: string;
  readonly startTime: number;
}

async function measureRun(): Promise<Record<string, number>> {
  const rooms = [benchRoom('First room'), benchRoom('Second room')];
  const app = await openApp(rooms, { load: false });
  try {
    await loadApp(app, rooms);
    const paints = (await app.page.evaluate('window.__mcbench.paintEntries()')) as PaintEntry[];
    const nav = (await app.page.evaluate('window.__mcbench.navigation()')) as { responseEnd: number; domContentLoaded: number; load: number } | null;
    await until(async () => (await app.page.evaluate('window.__mcbench.roomsShown()')) !== null, 'the room list to be painted', 5_000);
    const roomsShown = Number(await app.page.evaluate('window.__mcbench.roomsShown()'));
    const fcp = paints.find((p) => p.name === 'first-contentful-paint')?.startTime;
    if (fcp === undefined) throw new Error(`no first-contentful-paint entry (paint entries: ${JSON.stringify(paints)})`);
    return {
      fcp,
      'first paint ms': paints.find((p) => p.name === 'first-paint')?.startTime ?? Number.NaN,
      'HTML received ms': nav?.responseEnd ?? Number.NaN,
      'DOMContentLoaded ms': nav?.domContentLoaded ?? Number.NaN,
      'load ms': nav?.load ?? Number.NaN,
      'room list painted ms': roomsShown,
    };
  } finally {
    await app.close();
  }
}

export const rendererFirstPaint: Figure = {
  id: SPEC.id,
  title: SPEC.title,
  side: 'renderer',
  async run(ctx: BenchContext): Promise<FigureResult[]> {
    const missing = chromiumMissing([SPEC]);
    if (missing) return missing;
    const runs: number[] = [];
    const details: Record<string, number>[] = [];
    try {
      for (let run = 0; run < ctx.runs; run++) {
        const { fcp, ...rest } = await measureRun();
        if (fcp === undefined) throw new Error('no first-contentful-paint');
        runs.push(fcp);
        details.push(rest);
        ctx.log(`renderer-first-paint run ${run + 1}/${ctx.runs}: FCP ${fcp.toFixed(1)} ms, room list painted ${rest['room list painted ms']?.toFixed(1)} ms`);
      }
    } catch (error) {
      return [failed(SPEC.id, SPEC.title, SPEC.unit, SPEC.target, error)];
    }
    return [
      measured({
        ...SPEC,
        runs,
        details: medianDetails(details, 1),
        note: 'navigation start to first-contentful-paint of the production page (fresh Chromium profile, headless, 1100x720) served from 127.0.0.1 with the production CSP; "room list painted": the first frame showing the saved rooms (getState, then rendererReady)',
      }),
    ];
  },
};
