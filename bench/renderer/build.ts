import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { REPO_ROOT } from '../lib/paths.js';

/**
 * The production renderer, as tests/e2e/harness/renderer-build.ts builds it, plus external
 * source maps (the code is the same; only a sourceMappingURL comment is added, and the page
 * never loads the map) so a renderer CPU profile maps back to renderer/ files and lines.
 * MCCHAT_E2E_RENDERER_DIR=<folder> uses an existing build instead, as the e2e tests do.
 */
export async function buildRendererWithMaps(): Promise<{ dir: string; prebuilt: boolean }> {
  const prebuilt = process.env['MCCHAT_E2E_RENDERER_DIR'];
  if (prebuilt) {
    const dir = path.resolve(REPO_ROOT, prebuilt);
    if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`MCCHAT_E2E_RENDERER_DIR=${prebuilt}: no index.html in ${dir}`);
    return { dir, prebuilt: true };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mcchat-bench-renderer-'));
  // Vite picks production React from NODE_ENV: make sure this is a production build.
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
      build: { outDir: dir, emptyOutDir: true, sourcemap: true, reportCompressedSize: false },
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  }
  const assets = path.join(dir, 'assets');
  for (const name of (await readdir(assets)).filter((n) => n.endsWith('.js'))) {
    if ((await readFile(path.join(assets, name), 'utf8')).includes('jsxDEV')) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`the benchmark's renderer build is a development build (${name} uses jsxDEV)`);
    }
  }
  return { dir, prebuilt: false };
}
