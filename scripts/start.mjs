#!/usr/bin/env node
/**
 * `npm start`: makes sure Electron's binary is there, then runs `vite` (which builds the app and
 * opens the window). Electron 45 downloads its binary on first start, not at install; where that
 * download cannot happen (no network, a proxy), Electron's own script ends in a stack trace.
 * Here it ends in a few lines saying what is missing and what works without it, exit code 1.
 *
 * MCCHAT_ELECTRON_PACKAGE points at another electron package folder (the tests use a fake one).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = process.env.MCCHAT_ELECTRON_PACKAGE || path.join(root, 'node_modules', 'electron');
/** A real download of ~100 MB on a slow link takes minutes; a missing network fails in a second. */
const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;

function electronVersion() {
  try {
    return JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version ?? '?';
  } catch {
    return null;
  }
}

/** What node_modules/electron/index.js checks: path.txt names the binary under dist/. */
function binaryInstalled() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return true;
  try {
    const binary = readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
    return binary !== '' && existsSync(path.join(electronDir, 'dist', binary));
  } catch {
    return false;
  }
}

/** The first line of the error that ended the download, e.g. "TypeError: fetch failed". */
function reasonOf(output) {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.find((l) => !l.startsWith('at ')) ?? 'no reason given';
}

function nodeTooOld() {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major < 22 || (major === 22 && minor < 12);
}

function cannotStart(lines) {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}

const version = electronVersion();
if (version === null) {
  cannotStart([
    'npm start: Electron is not installed (node_modules/electron is missing): run npm install first.',
    'Without it, the command-line peer and the tests still work: npm run mcchat -- --help, npm test.',
  ]);
}

if (!binaryInstalled()) {
  process.stderr.write(`npm start: downloading Electron ${version}'s binary (once, on first start)...\n`);
  // Electron's own install script, its output kept: shown only as one line if it fails.
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, encoding: 'utf8', timeout: DOWNLOAD_TIMEOUT_MS });
  if (result.status !== 0 || !binaryInstalled()) {
    const reason = result.error ? result.error.message : reasonOf(`${result.stderr ?? ''}\n${result.stdout ?? ''}`);
    cannotStart([
      `npm start: the window needs Electron ${version}'s binary, and it could not be downloaded (${reason}).`,
      '  With network access, run npm start again (behind a proxy set HTTPS_PROXY; a mirror: ELECTRON_MIRROR).',
      ...(nodeTooOld() ? [`  Electron ${version} asks for Node 22.12 or newer; this is Node ${process.versions.node}.`] : []),
      '  Everything but the window works without it: the headless peer (npm run mcchat -- chat --iface 127.0.0.1,',
      '  or npm run build, then node dist-electron/mcchat.js) and the tests (npm test).',
    ]);
  }
}

// vite serves the page, builds the main process and starts Electron (vite-plugin-electron).
const vite = spawn(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => vite.kill(signal));
vite.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
