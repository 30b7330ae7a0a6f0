import path from 'node:path';
import type { BenchContext } from './types.js';

/** Where a run's CPU profiles go, or null when not profiling. */
export function profileDirFor(ctx: BenchContext, run: number): string | null {
  return ctx.profileDir ? path.join(ctx.profileDir, `run-${run + 1}`) : null;
}
