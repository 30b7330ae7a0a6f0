import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { WORKERS_DIR } from './paths.js';

/**
 * Bundles every worker (bench/workers/*.ts but io.ts) with the core into plain .mjs files, the
 * way the app's main process is bundled, so workers run on bare Node: no tsx loader thread in
 * their memory, CPU or start figures. esbuild is tsx's own compiler (a dependency of tsx).
 * Source maps are written too, so CPU profiles map back to source lines.
 */
export async function bundleWorkers(outDir: string): Promise<void> {
  const scripts = (await readdir(WORKERS_DIR)).filter((f) => f.endsWith('.ts') && f !== 'io.ts');
  await build({
    entryPoints: scripts.map((f) => path.join(WORKERS_DIR, f)),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'silent',
    // For any CommonJS dependency that calls require() on a Node built-in.
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
  });
}
