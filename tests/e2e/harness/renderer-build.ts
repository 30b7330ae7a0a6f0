import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { REPO_ROOT } from '../../helpers/mcchat-process.js';

export interface BuiltRenderer {
  readonly dir: string;
  /** An existing build given by MCCHAT_E2E_RENDERER_DIR, not made here. */
  readonly prebuilt: boolean;
  /** Removes the build when the test made it; a prebuilt folder is left alone. */
  dispose(): Promise<void>;
}

/**
 * The production page, built from renderer/ now, so the test never runs a stale dist/.
 * MCCHAT_E2E_RENDERER_DIR=<folder> uses an existing build instead (e.g. dist/renderer after
 * `npm run build`). Under half a second on this machine.
 */
export async function buildRenderer(options: { sourcemap?: boolean } = {}): Promise<BuiltRenderer> {
  const prebuilt = process.env['MCCHAT_E2E_RENDERER_DIR'];
  if (prebuilt) {
    const dir = path.resolve(REPO_ROOT, prebuilt);
    if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`MCCHAT_E2E_RENDERER_DIR=${prebuilt}: no index.html in ${dir}`);
    return { dir, prebuilt: true, dispose: async () => undefined };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mcchat-e2e-renderer-'));
  // Vite decides "production" (minified React, no jsxDEV) from NODE_ENV, which vitest sets to
  // "test": make this a real production build, and put the test's value back afterwards.
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await build({
      root: path.join(REPO_ROOT, 'renderer'),
      base: './',
      mode: 'production',
      configFile: false,
      logLevel: 'warn',
      plugins: [react()],
      // Source maps (the benchmark's CPU profiles) only add a comment: the page never loads them.
      build: { outDir: dir, emptyOutDir: true, sourcemap: options.sourcemap ?? false, reportCompressedSize: false },
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  }
  // The development JSX runtime in the bundle would mean the NODE_ENV switch above stopped working.
  const assets = path.join(dir, 'assets');
  for (const name of (await readdir(assets)).filter((n) => n.endsWith('.js'))) {
    if ((await readFile(path.join(assets, name), 'utf8')).includes('jsxDEV')) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`the e2e renderer build is a development build (${name} uses jsxDEV)`);
    }
  }
  return { dir, prebuilt: false, dispose: () => rm(dir, { recursive: true, force: true }) };
}
