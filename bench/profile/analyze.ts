/**
 * `npx tsx bench/profile/analyze.ts <file.cpuprofile> [top]`: the top self-time and inclusive
 * functions of a profile written by `npm run bench -- --profile` (or any node --cpu-prof).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../lib/paths.js';
import { formatSummary, summarizeProfile, type CpuProfile } from './cpuprofile.js';
import { createLabeler } from './labels.js';

export async function analyzeFile(file: string, top = 15): Promise<string> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  return formatSummary(summarizeProfile(profile, createLabeler(REPO_ROOT), top));
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx bench/profile/analyze.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${await analyzeFile(file, top ? Number(top) : 15)}\n`);
}
