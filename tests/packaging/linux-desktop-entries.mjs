/**
 * Runs electron-builder's deb and AppImage targets on an already packaged linux-unpacked folder,
 * up to the point where each has computed what it would hand to its packaging tool (fpm,
 * appimagetool: downloads, so not here), then stops them through electron-builder's own
 * `effectiveOptionComputed` hook (its test suite uses it the same way). What they computed is
 * what the packages would carry: the .desktop file as written, where the deb installs it, and
 * the icon it installs next to it.
 *
 *   node linux-desktop-entries.mjs <projectDir> <linux-unpacked> <electronDist> <outputDir> <result.json>
 *
 * Writes one JSON object (electron-builder logs to stdout):
 * { deb: { desktopFile, installedAs, icons, error? }, appImage: { ... } }.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const [projectDir, prepackaged, electronDist, output, resultFile] = process.argv.slice(2);
const require = createRequire(path.join(projectDir, 'package.json'));
const { build, Platform, Arch } = require('electron-builder');

async function computed(target) {
  let seen = null;
  try {
    await build({
      projectDir,
      prepackaged,
      publish: 'never',
      targets: Platform.LINUX.createTarget(target, Arch.x64),
      config: { electronDist, directories: { output } },
      effectiveOptionComputed: async (options) => {
        if (target === 'deb' && Array.isArray(options)) {
          const [args, desktopFilePath] = options;
          const mapping = args.find((a) => typeof a === 'string' && a.startsWith(`${desktopFilePath}=`));
          seen = {
            desktopFile: await readFile(desktopFilePath, 'utf8'),
            installedAs: mapping?.slice(desktopFilePath.length + 1) ?? null,
            icons: args.filter((a) => typeof a === 'string' && a.includes('=/usr/share/icons/')).map((a) => a.slice(a.indexOf('=') + 1)),
          };
          return true;
        }
        if (target === 'AppImage' && options && typeof options.desktop === 'string') {
          seen = { desktopFile: options.desktop, installedAs: options.desktopFileName, icons: [] };
          return true;
        }
        return false;
      },
    });
  } catch (error) {
    return { ...seen, error: String(error?.message ?? error).split('\n').slice(0, 3).join(' ') };
  }
  return seen ?? { error: `electron-builder's ${target} target never reached its packaging tool` };
}

const result = { deb: await computed('deb'), appImage: await computed('AppImage') };
await writeFile(resultFile, `${JSON.stringify(result)}\n`);
