import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Builds the app and packages it with electron-builder (`--linux dir`), offline: the Electron
 * binary cannot be downloaded here, so `electronDist` points at a stub executable that carries
 * an Electron-style fuse wire. What is checked is what ships: app.asar's content, the built
 * preload's requires, and the fuses electron-builder flipped in the (stub) executable.
 *
 * The build runs in a temporary copy of the project (node_modules linked), so the test never
 * rewrites the working tree's dist/ while other tests or a dev server use it.
 */

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  listPackage(archive: string, options?: { isPack: boolean }): string[];
  extractFile(archive: string, filename: string): Buffer;
};

/** Left out of the copy: generated, installed or version-control folders. */
const NOT_COPIED = new Set(['node_modules', 'dist', 'dist-electron', 'dist-cli', 'release', 'out', 'coverage', 'test-results', 'screenshots', 'bench-results', '.vite', '.git']);

// @electron/fuses: SENTINEL, then wire version 1, wire length, one byte per fuse ('0' off, '1' on).
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = ['RunAsNode', 'EnableCookieEncryption', 'EnableNodeOptionsEnvironmentVariable', 'EnableNodeCliInspectArguments', 'EnableEmbeddedAsarIntegrityValidation', 'OnlyLoadAppFromAsar', 'LoadBrowserProcessSpecificV8Snapshot', 'GrantFileProtocolExtraPrivileges'] as const;
/** Electron's own defaults, as a real binary ships them. */
const ELECTRON_DEFAULT_WIRE = '10110001';

let work: string;
let project: string;
let archive: string;
let files: string[];
let executable: string;

async function stubElectronDist(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const stub = path.join(dir, 'electron');
  await writeFile(stub, Buffer.concat([Buffer.from('#!/bin/sh\necho "stub Electron: packaging test only"\nexit 1\n# '), Buffer.from(FUSE_SENTINEL), Buffer.from([1, FUSES.length]), Buffer.from(ELECTRON_DEFAULT_WIRE), Buffer.from('\n')]));
  await chmod(stub, 0o755);
}

function fuseWire(binary: Buffer): Record<(typeof FUSES)[number], string> {
  const at = binary.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error('no fuse wire in the packaged executable');
  const start = at + FUSE_SENTINEL.length;
  expect(binary[start]).toBe(1);
  const length = binary[start + 1]!;
  const wire = binary.subarray(start + 2, start + 2 + length).toString('latin1');
  return Object.fromEntries(FUSES.map((name, i) => [name, wire[i]])) as Record<(typeof FUSES)[number], string>;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'mcchat-packaging-'));
  project = path.join(work, 'project');
  await mkdir(project);
  for (const entry of await readdir(repo)) {
    if (!NOT_COPIED.has(entry)) await cp(path.join(repo, entry), path.join(project, entry), { recursive: true });
  }
  await symlink(path.join(repo, 'node_modules'), path.join(project, 'node_modules'), 'dir');

  // `vite build` is what `npm run build` runs after the typecheck (which `npm test` runs on its own).
  await run(process.execPath, [path.join(repo, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: project, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });

  const electronDist = path.join(work, 'electron-dist');
  await stubElectronDist(electronDist);
  const output = path.join(work, 'release');
  await run(
    process.execPath,
    [path.join(repo, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`],
    {
      cwd: project,
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false', CI: '' },
    },
  );
  const unpacked = path.join(output, 'linux-unpacked');
  archive = path.join(unpacked, 'resources', 'app.asar');
  executable = path.join(unpacked, 'multicast-chat');
  files = asar.listPackage(archive, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const entry = (name: string): string => asar.extractFile(archive, name).toString('utf8');

describe('packaged app (electron-builder --linux dir, offline)', () => {
  it('holds the built main, preload, CLI and page', () => {
    for (const file of ['/package.json', '/dist-electron/main.js', '/dist-electron/preload.cjs', '/dist-electron/mcchat.js', '/dist/renderer/index.html']) {
      expect(files, file).toContain(file);
    }
    expect(files.some((f) => /^\/dist\/renderer\/assets\/[^/]+\.js$/.test(f))).toBe(true);
  });

  it('points package.json main at the built main process, and the page at relative assets', () => {
    const pkg = JSON.parse(entry('package.json')) as { main: string; devDependencies?: unknown; bin?: Record<string, string> };
    expect(pkg.main).toBe('dist-electron/main.js');
    expect(files).toContain(`/${pkg.main}`);
    expect(pkg.devDependencies).toBeUndefined();
    expect(pkg.bin?.mcchat).toBe('dist-electron/mcchat.js');
    const html = entry('dist/renderer/index.html');
    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src.startsWith('./assets/'), src).toBe(true);
      expect(files).toContain(`/dist/renderer/${src.slice(2)}`);
    }
  });

  it('ships a page the production CSP allows: no inline scripts, styles or event handlers', () => {
    const html = entry('dist/renderer/index.html');
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag, tag).toMatch(/\ssrc="/);
    expect(html).not.toMatch(/<script\b[^>]*>[^<\s]/);
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
  });

  it('has no sources, tests, source maps or TypeScript at all', () => {
    expect(files.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const folder of ['/electron', '/shared', '/renderer', '/tests', '/build', '/docs', '/node_modules/.bin']) {
      expect(files.some((f) => f === folder || f.startsWith(`${folder}/`)), folder).toBe(false);
    }
    for (const file of ['/vite.config.ts', '/electron-builder.yml', '/tsconfig.base.json', '/package-lock.json', '/eslint.config.js']) {
      expect(files, file).not.toContain(file);
    }
  });

  it('carries only runtime dependencies: zod and unhomoglyph, never react, vite, vitest, electron or electron-builder', () => {
    const packages = new Set(files.map((f) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((p): p is string => p !== undefined));
    expect([...packages].sort()).toEqual(['unhomoglyph', 'zod']);
    for (const devOnly of ['react', 'react-dom', 'vite', 'vitest', 'electron', 'electron-builder', 'typescript', 'zustand']) {
      expect(packages.has(devOnly), devOnly).toBe(false);
    }
  });

  it('builds the preload as one CommonJS file that requires nothing but electron', () => {
    const preload = entry('dist-electron/preload.cjs');
    const required = [...preload.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect(preload).not.toMatch(/\bimport\(/);
    expect(preload).toContain('exposeInMainWorld');
    expect(files.filter((f) => f.startsWith('/dist-electron/') && f.endsWith('.cjs'))).toEqual(['/dist-electron/preload.cjs']);
  });

  it('keeps electron, Node built-ins, zod and unhomoglyph external in the main process, and gives the CLI its hashbang', () => {
    const main = entry('dist-electron/main.js');
    const imported = [...main.matchAll(/^import\s[^'"]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
    expect(imported).toContain('electron');
    for (const specifier of imported) expect(specifier, specifier).toMatch(/^(electron|node:[a-z_/]+|zod|unhomoglyph|\.\/[\w.-]+\.js)$/);
    expect(entry('dist-electron/mcchat.js').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('flips the fuses in the executable as electron-builder.yml says', async () => {
    const fuses = fuseWire(await readFile(executable));
    expect(fuses).toEqual({
      RunAsNode: '0',
      EnableCookieEncryption: '1',
      EnableNodeOptionsEnvironmentVariable: '0',
      EnableNodeCliInspectArguments: '0',
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
      LoadBrowserProcessSpecificV8Snapshot: '0',
      GrantFileProtocolExtraPrivileges: '0',
    });
  });
});
