import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The CLI as it ships: `vite build` (what `npm run build` runs after its typecheck) makes
 * dist-electron/mcchat.js, run with plain `node` (0.3 s to start instead of tsx's ~1 s, which
 * matters with 40 peers on 2 cores). As tests/shipping/built-app.test.ts does, the build runs in a
 * copy of the sources under `workDir` (node_modules linked), so it is never stale (it is what the
 * working tree says now) and the working tree's dist/ and dist-electron/, which others may be
 * using, are never rewritten. The whole build takes ~2 s here.
 */

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** What vite.config.ts reads: the three entry points' sources and the configs. */
const NEEDED = ['package.json', 'vite.config.ts', 'tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.web.json', 'electron', 'shared', 'renderer'];
const BUILD_TIMEOUT_MS = 120_000;

/** Builds into `workDir/project` and returns the path of the built mcchat.js. */
export async function buildCli(workDir: string): Promise<string> {
  const project = path.join(workDir, 'project');
  await mkdir(project, { recursive: true });
  for (const entry of NEEDED) {
    if (existsSync(path.join(REPO, entry))) await cp(path.join(REPO, entry), path.join(project, entry), { recursive: true });
  }
  await symlink(path.join(REPO, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  // NODE_ENV as npm would leave it, not vitest's "test".
  await run(process.execPath, [path.join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: project,
    timeout: BUILD_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const cli = path.join(project, 'dist-electron', 'mcchat.js');
  if (!existsSync(cli)) throw new Error(`vite build made no ${cli}`);
  return cli;
}
