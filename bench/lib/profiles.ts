import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatSummary, isMainThreadProfile, summarizeProfile, type CpuProfile, type ProfileWindow } from '../profile/cpuprofile.js';
import { createLabeler } from '../profile/labels.js';
import { REPO_ROOT } from './paths.js';

/**
 * Summarises the main-thread CPU profile a worker wrote into `<profileDir>/<name>/`, within the
 * measured window, and saves the summary next to it. Returns the summary text.
 */
export async function summarizeWorkerProfile(profileDir: string, name: string, window: ProfileWindow | null, top = 20): Promise<string> {
  const dir = path.join(profileDir, name);
  const files = (await readdir(dir)).filter(isMainThreadProfile);
  const file = files[0];
  if (!file) return `no main-thread profile in ${dir}`;
  const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
  const text = `${path.relative(REPO_ROOT, path.join(dir, file))}${window ? ' (measured window only)' : ''}\n${formatSummary(summarizeProfile(profile, createLabeler(REPO_ROOT), top, window ?? undefined))}`;
  await writeFile(path.join(dir, 'summary.txt'), `${text}\n`);
  return text;
}
