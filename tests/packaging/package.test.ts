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
 * Then the installers, as far as they can be checked offline: the deb and AppImage targets run on
 * the unpacked folder until they hand over to fpm / appimagetool (downloaded tools, so stopped
 * there: linux-desktop-entries.mjs), which gives the .desktop file the packages carry; the Windows
 * firewall rule in build/installer.nsh is read (and compiled with makensis where it is installed);
 * macOS's Info.plist entries are read from electron-builder.yml (a macOS build needs macOS).
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
// electron-builder's own YAML parser.
const yaml = require('js-yaml') as { load(text: string): unknown };

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

interface ComputedEntry {
  desktopFile?: string;
  installedAs?: string | null;
  icons?: string[];
  error?: string;
}
let linuxEntries: { deb: ComputedEntry; appImage: ComputedEntry };

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

  const entriesFile = path.join(work, 'linux-entries.json');
  await run(
    process.execPath,
    [path.join(repo, 'tests', 'packaging', 'linux-desktop-entries.mjs'), project, unpacked, electronDist, path.join(work, 'release-linux'), entriesFile],
    { cwd: project, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', CI: '' } },
  );
  linuxEntries = JSON.parse(await readFile(entriesFile, 'utf8')) as typeof linuxEntries;
}, 420_000);

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

/** `[Desktop Entry]` keys of a .desktop file; a repeated key would fail desktop-file-validate. */
function desktopEntry(text: string): Record<string, string> {
  const lines = text.split('\n');
  expect(lines[0]).toBe('[Desktop Entry]');
  const end = lines.findIndex((line, i) => i > 0 && line.startsWith('['));
  const entry: Record<string, string> = {};
  for (const line of lines.slice(1, end < 0 ? undefined : end)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    const key = line.slice(0, at);
    expect(entry[key], `${key} twice`).toBeUndefined();
    entry[key] = line.slice(at + 1);
  }
  return entry;
}

async function onPath(program: string): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', `command -v ${program}`]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

interface BuilderConfig {
  extraMetadata?: { desktopName?: string; homepage?: string };
  linux?: { executableName?: string; category?: string; syncDesktopName?: boolean; desktop?: { entry?: Record<string, string> } };
  nsis?: { include?: string; perMachine?: boolean; oneClick?: boolean };
  mac?: { extendInfo?: Record<string, unknown>; entitlements?: string };
}

describe('installers: electron-builder.yml', () => {
  const config = async (): Promise<BuilderConfig> => yaml.load(await readFile(path.join(repo, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

  it('parses, and names the app multicast-chat for Linux desktops (desktopName, in the packaged package.json)', async () => {
    const { extraMetadata, linux } = await config();
    expect(extraMetadata?.desktopName).toBe('multicast-chat.desktop');
    expect(linux?.executableName).toBe('multicast-chat');
    expect(linux?.syncDesktopName).toBe(true);
    expect(linux?.desktop?.entry?.StartupWMClass).toBe('multicast-chat');
    const pkg = JSON.parse(entry('package.json')) as { desktopName?: string; homepage?: string };
    expect(pkg.desktopName).toBe('multicast-chat.desktop');
    expect(pkg.homepage).toBe(extraMetadata?.homepage);
  });

  it('includes build/installer.nsh in a per-machine (elevated) NSIS installer', async () => {
    const { nsis } = await config();
    expect(nsis?.include).toBe('build/installer.nsh');
    expect(nsis?.perMachine).toBe(true);
    expect(nsis?.oneClick).toBe(false);
  });

  it('keeps NSLocalNetworkUsageDescription in the macOS Info.plist, and adds no iOS-only multicast entitlement', async () => {
    const { mac } = await config();
    const description = mac?.extendInfo?.NSLocalNetworkUsageDescription;
    expect(typeof description).toBe('string');
    expect((description as string).length).toBeGreaterThan(20);
    expect(description).toMatch(/local network/i);
    expect(JSON.stringify(mac)).not.toContain('com.apple.developer.networking.multicast');
  });
});

describe('installers: the Windows firewall rule (build/installer.nsh)', () => {
  const script = async (): Promise<string> => readFile(path.join(repo, 'build', 'installer.nsh'), 'utf8');
  /** The macro's body, comments left out. */
  const macro = (text: string, name: string): string => {
    const match = new RegExp(`^!macro ${name}\\s*$([\\s\\S]*?)^!macroend`, 'm').exec(text);
    expect(match, name).not.toBeNull();
    return match![1]!.split('\n').filter((line) => !/^\s*[;#]/.test(line)).join('\n');
  };
  const netsh = (body: string, verb: 'add' | 'delete'): string[] => [...body.matchAll(new RegExp(`netsh advfirewall firewall ${verb} rule ([^'\\n]*)'`, 'g'))].map((m) => m[1]!);
  const ruleName = (args: string): string | undefined => /\bname="([^"]+)"/.exec(args)?.[1];

  it('adds one inbound UDP allow rule for the installed executable, on private and domain networks only', async () => {
    const install = macro(await script(), 'customInstall');
    const [add, ...more] = netsh(install, 'add');
    expect(more).toEqual([]);
    expect(add).toBeDefined();
    expect(ruleName(add!)).toBe('Multicast Chat (installer)');
    expect(add).toMatch(/\bdir=in\b/);
    expect(add).toMatch(/\baction=allow\b/);
    expect(add).toMatch(/\bprotocol=UDP\b/);
    expect(add).toContain('program="$INSTDIR\\${APP_EXECUTABLE_FILENAME}"');
    expect(/\bprofile=([a-z,]+)/.exec(add!)?.[1]?.split(',').sort()).toEqual(['domain', 'private']);
    expect(add).not.toMatch(/public|profile=any/i);
    // Reinstalling replaces the rule (netsh would add a second one of the same name).
    const deleteAt = install.indexOf('firewall delete rule');
    expect(deleteAt).toBeGreaterThanOrEqual(0);
    expect(deleteAt).toBeLessThan(install.indexOf('firewall add rule'));
    expect(netsh(install, 'delete').map(ruleName)).toEqual([ruleName(add!)]);
    // A refusal is said, not swallowed; /SD keeps a silent install silent.
    expect(install).toMatch(/\$\{if\} \$0 != 0[\s\S]*MessageBox [^\n]*\/SD IDOK/);
  });

  it('removes the same rule on uninstall, and keeps it through an update', async () => {
    const text = await script();
    const [add] = netsh(macro(text, 'customInstall'), 'add');
    const uninstall = macro(text, 'customUnInstall');
    const deletes = netsh(uninstall, 'delete');
    expect(deletes).toHaveLength(1);
    expect(ruleName(deletes[0]!)).toBe(ruleName(add!));
    expect(deletes[0]).toMatch(/\bdir=in\b/);
    expect(netsh(uninstall, 'add')).toEqual([]);
    expect(uninstall).toMatch(/\$\{ifNot\} \$\{isUpdated\}[\s\S]*firewall delete rule[\s\S]*\$\{endif\}/);
  });

  it('compiles with makensis (both macros, warnings as errors), where makensis is installed', async ({ skip }) => {
    const makensis = await onPath('makensis');
    if (!makensis) {
      if (process.env.MCCHAT_REQUIRE_PACKAGING_TOOLS) throw new Error('makensis is missing (Debian package nsis) and MCCHAT_REQUIRE_PACKAGING_TOOLS is set');
      return skip('skipped: needs makensis (Debian package nsis)');
    }
    const dir = path.join(work, 'nsis');
    await mkdir(dir, { recursive: true });
    // What electron-builder's templates give the include: LogicLib, APP_EXECUTABLE_FILENAME and the
    // --updated flag as a LogicLib test (nsisScriptGenerator's flags()).
    await writeFile(
      path.join(dir, 'harness.nsi'),
      [
        'Unicode true',
        '!include LogicLib.nsh',
        '!define APP_EXECUTABLE_FILENAME "Multicast Chat.exe"',
        '!macro _isUpdated _a _b _t _f',
        '  StrCmp "" "updated" `${_t}` `${_f}`',
        '!macroend',
        '!define isUpdated `"" isUpdated ""`',
        `!include "${path.join(repo, 'build', 'installer.nsh')}"`,
        'Name "installer.nsh harness"',
        `OutFile "${path.join(dir, 'harness.exe')}"`,
        'RequestExecutionLevel admin',
        'Section',
        '  !insertmacro customInstall',
        '  WriteUninstaller "$INSTDIR\\uninstall.exe"',
        'SectionEnd',
        'Section "Uninstall"',
        '  !insertmacro customUnInstall',
        'SectionEnd',
        '',
      ].join('\n'),
    );
    await run(makensis, ['-V2', '-WX', path.join(dir, 'harness.nsi')], { timeout: 60_000 });
  });
});

describe('installers: the Linux packages’ desktop entry (computed by electron-builder’s deb and AppImage targets)', () => {
  it('installs the deb’s entry as /usr/share/applications/multicast-chat.desktop, next to its icon', () => {
    const { deb } = linuxEntries;
    expect(deb.error).toBeUndefined();
    expect(deb.installedAs).toBe('/usr/share/applications/multicast-chat.desktop');
    const icon = desktopEntry(deb.desktopFile!).Icon;
    expect(deb.icons?.length).toBeGreaterThan(0);
    for (const file of deb.icons!) expect(file).toMatch(new RegExp(`^/usr/share/icons/hicolor/\\d+x\\d+/apps/${icon}\\.png$`));
    expect(linuxEntries.appImage.error).toBeUndefined();
    expect(linuxEntries.appImage.installedAs).toBe('multicast-chat.desktop');
  });

  for (const target of ['deb', 'appImage'] as const) {
    it(`${target}: names the app, files it under Network;Chat;InstantMessaging, and matches the window (StartupWMClass = desktopName)`, () => {
      const fields = desktopEntry(linuxEntries[target].desktopFile!);
      expect(fields.Type).toBe('Application');
      expect(fields.Name).toBe('Multicast Chat');
      expect(fields.GenericName).toBe('LAN Group Chat');
      expect(fields.Comment).toMatch(/group chat .*multicast/i);
      expect(fields.Categories).toBe('Network;Chat;InstantMessaging;');
      expect(fields.Icon).toBe('multicast-chat');
      expect(fields['X-GNOME-UsesNotifications']).toBe('true');
      expect(fields.Terminal).toBe('false');
      // Electron sets the window's WM_CLASS and Wayland app_id, the badge's and notifications'
      // desktop id, from desktopName without ".desktop"; the shell matches them to this.
      const desktopName = (JSON.parse(entry('package.json')) as { desktopName: string }).desktopName;
      expect(fields.StartupWMClass).toBe(desktopName.replace(/\.desktop$/, ''));
      expect(`${fields.StartupWMClass}.desktop`).toBe(path.basename(linuxEntries[target].installedAs!));
      expect(fields.Exec).toMatch(target === 'deb' ? /^"\/opt\/Multicast Chat\/multicast-chat" %U$/ : /^AppRun .*%U$/);
    });
  }

  it('passes desktop-file-validate, where it is installed', async ({ skip }) => {
    const validate = await onPath('desktop-file-validate');
    if (!validate) {
      if (process.env.MCCHAT_REQUIRE_PACKAGING_TOOLS) throw new Error('desktop-file-validate is missing (Debian package desktop-file-utils) and MCCHAT_REQUIRE_PACKAGING_TOOLS is set');
      return skip('skipped: needs desktop-file-validate (Debian package desktop-file-utils)');
    }
    for (const target of ['deb', 'appImage'] as const) {
      const file = path.join(work, `${target}.desktop`);
      await writeFile(file, linuxEntries[target].desktopFile!);
      const { stdout, stderr } = await run(validate, [file]);
      expect(`${stdout}${stderr}`.trim(), target).toBe('');
    }
  });
});
