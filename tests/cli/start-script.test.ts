import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/**
 * An electron package without its binary, whose download fails the way Electron's own
 * install.js does without network: a stack trace on stderr and exit code 1. The real one would
 * download 100 MB where there is network, so the test never runs it.
 */
function electronWithoutNetwork(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-electron-'));
  temps.push(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
  writeFileSync(
    path.join(dir, 'install.js'),
    "process.stderr.write('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:14976:13\\n    at async FetchDownloader.download (FetchDownloader.js:46:30)\\n'); process.exit(1);\n",
  );
  return dir;
}

describe('npm start without Electron', () => {
  it('says in a few lines what is missing and what works without it, exits 1, no stack trace', () => {
    const started = performance.now();
    const env: NodeJS.ProcessEnv = { ...process.env, MCCHAT_ELECTRON_PACKAGE: electronWithoutNetwork() };
    delete env['ELECTRON_OVERRIDE_DIST_PATH'];
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/start.mjs')], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(performance.now() - started).toBeLessThan(10_000);
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toContain("the window needs Electron 45.4.1's binary, and it could not be downloaded (TypeError: fetch failed)");
    expect(output).toContain('mcchat');
    expect(output).toContain('npm test');
    expect(output).not.toMatch(/^\s+at /m);
    expect(output.trim().split('\n').length).toBeLessThanOrEqual(7);
  });

  it('is what npm start runs', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toBe('node scripts/start.mjs');
  });
});
