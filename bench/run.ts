/**
 * `npm run bench [-- --quick] [--runs N] [--only ID] [--profile]`: the performance figures of
 * Multicast Chat next to their targets, printed as a table and written as JSON to bench-results/.
 * All traffic stays on loopback (bench/lib/endpoints.ts).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, USAGE, type BenchArgs } from './lib/args.js';
import { bundleWorkers } from './lib/bundle.js';
import { machineInfo } from './lib/machine.js';
import { RESULTS_DIR } from './lib/paths.js';
import { writeReport } from './lib/report.js';
import { renderTable } from './lib/table.js';
import type { BenchContext, FigureResult } from './lib/types.js';
import { killAllWorkers, useBundledWorkers } from './lib/worker-host.js';
import { selectFigures } from './figures/registry.js';

async function main(args: BenchArgs): Promise<number> {
  const figures = selectFigures(args.only);
  const machine = machineInfo();
  const generatedAt = new Date().toISOString();
  const mode = args.quick ? 'quick' : 'full';
  const stamp = `${generatedAt.replace(/[:.]/g, '-')}-${process.pid}`;
  const profileDir = args.profile ? path.join(RESULTS_DIR, 'profiles', stamp) : null;
  // Profiles need the bundle and its source map later: it is kept next to them.
  const buildDir = profileDir ? path.join(profileDir, '.build') : path.join(RESULTS_DIR, '.build', stamp);
  const started = performance.now();
  await bundleWorkers(buildDir);
  useBundledWorkers(buildDir);
  const ctx: BenchContext = {
    quick: args.quick,
    runs: args.runs,
    profileDir,
    resultsDir: RESULTS_DIR,
    log: (line) => process.stderr.write(`${line}\n`),
  };
  const results: FigureResult[] = [];
  try {
    for (const figure of figures) {
      const t = performance.now();
      results.push(...(await figure.run(ctx)));
      if (figure.side === 'core') ctx.log(`# ${figure.id} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    if (!profileDir) await rm(buildDir, { recursive: true, force: true });
  }
  const durationMs = Math.round(performance.now() - started);
  const title = `Multicast Chat benchmark: ${mode}, ${args.runs} run(s) per figure, ${(durationMs / 1000).toFixed(1)} s, ${generatedAt}`;
  process.stdout.write(`${renderTable(results, { title, machine })}\n`);
  const file = await writeReport(RESULTS_DIR, { generatedAt, mode, runs: args.runs, only: args.only, machine, durationMs, figures: results });
  process.stdout.write(`\nJSON: ${path.relative(process.cwd(), file)}\n`);
  if (ctx.profileDir) process.stdout.write(`CPU profiles and summaries: ${path.relative(process.cwd(), ctx.profileDir)}\n`);
  // Missed targets are results; a figure that could not be measured is a broken benchmark.
  return results.some((r) => r.status === 'error') ? 1 : 0;
}

process.on('SIGINT', () => {
  killAllWorkers();
  process.exit(130);
});

let args: BenchArgs;
try {
  args = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
main(args)
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    killAllWorkers();
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
