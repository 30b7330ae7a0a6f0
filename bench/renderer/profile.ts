import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CDPSession } from 'playwright-core';
import { formatSummary, summarizeProfile, type CpuProfile } from '../profile/cpuprofile.js';
import type { FrameLabeler } from '../profile/labels.js';
import { SourceMap } from '../profile/sourcemap.js';
import { REPO_ROOT } from '../lib/paths.js';
import { rendererDir } from './app.js';

/**
 * The page's JavaScript CPU profile over a measured window (CDP Profiler, 250 us sampling), for
 * `npm run bench -- --profile`: the .cpuprofile (opens in Chromium DevTools) and a summary with
 * frames mapped back to renderer/ files through the build's source maps.
 */
export async function startPageProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
}

/** "name (renderer/file.tsx:line)" for frames of the served bundle, mapped through its .map file. */
export function pageLabeler(builtDir: string): FrameLabeler {
  const maps = new Map<string, SourceMap | null>();
  return (frame) => {
    const name = frame.functionName || '(anonymous)';
    const match = /^https?:\/\/[^/]+\/(.+\.js)$/.exec(frame.url);
    if (!match?.[1]) return frame.url ? `${name} (${frame.url}:${frame.lineNumber + 1})` : name;
    const file = path.join(builtDir, match[1]);
    if (!maps.has(file)) maps.set(file, SourceMap.load(`${file}.map`));
    const original = maps.get(file)?.original(frame.lineNumber, frame.columnNumber);
    return original ? `${name} (${path.relative(REPO_ROOT, original.file)}:${original.line + 1})` : `${name} (${match[1]}:${frame.lineNumber + 1})`;
  };
}

/** Stops the profiler, writes `<dir>/<name>.cpuprofile` and `<name>.summary.txt`; returns the summary. */
export async function stopPageProfile(cdp: CDPSession, dir: string, name: string, top = 25): Promise<string> {
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  await cdp.send('Profiler.disable');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.cpuprofile`);
  await writeFile(file, JSON.stringify(profile));
  const text = `${path.relative(REPO_ROOT, file)} (page main thread, JavaScript)\n${formatSummary(summarizeProfile(profile, pageLabeler(await rendererDir()), top))}`;
  await writeFile(path.join(dir, `${name}.summary.txt`), `${text}\n`);
  return text;
}
