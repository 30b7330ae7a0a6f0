/**
 * `npx tsx bench/profile/stalls.ts <file.cpuprofile> [minMs]`: stretches where the main thread
 * was busy (not idle) for at least minMs (default 1) without a break, and what ran in them.
 * A latency tail is made of such stretches: every datagram that arrives during one waits.
 * The profiler samples wall-clock time, so a stretch may also be the process being preempted.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../lib/paths.js';
import type { CpuProfile } from './cpuprofile.js';
import { createLabeler } from './labels.js';

export interface Stall {
  /** Since the profile started, in ms. */
  readonly atMs: number;
  readonly ms: number;
  /** Frames present in the stretch's samples, most frequent first, with their share in percent. */
  readonly frames: readonly { readonly fn: string; readonly percent: number }[];
}

export function findStalls(profile: CpuProfile, minMs: number, root: string): Stall[] {
  const label = createLabeler(root);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stackOf = (id: number): string[] => {
    const frames: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node && node.callFrame.functionName !== '(root)') frames.push(label(node.callFrame));
    }
    return frames;
  };
  const stalls: Stall[] = [];
  let t = profile.startTime;
  let run: { start: number; end: number; ids: number[] } | null = null;
  const close = (): void => {
    if (run && (run.end - run.start) / 1000 >= minMs) {
      const counts = new Map<string, number>();
      for (const id of run.ids) for (const fn of new Set(stackOf(id))) counts.set(fn, (counts.get(fn) ?? 0) + 1);
      const total = run.ids.length;
      const frames = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([fn, n]) => ({ fn, percent: Math.round((100 * n) / total) }));
      stalls.push({ atMs: (run.start - profile.startTime) / 1000, ms: (run.end - run.start) / 1000, frames });
    }
    run = null;
  };
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    const idle = byId.get(id)?.callFrame.functionName === '(idle)';
    if (idle) return close();
    run ??= { start: t - delta, end: t, ids: [] };
    run.end = t;
    run.ids.push(id);
  });
  close();
  return stalls;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [file, min] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx bench/profile/stalls.ts <file.cpuprofile> [minMs]\n');
    process.exit(2);
  }
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const stalls = findStalls(profile, min ? Number(min) : 1, REPO_ROOT);
  process.stdout.write(`${stalls.length} busy stretches >= ${min ?? 1} ms\n`);
  for (const s of stalls) {
    process.stdout.write(`${s.atMs.toFixed(1).padStart(9)} ms  +${s.ms.toFixed(2)} ms  ${s.frames.slice(0, 5).map((f) => `${f.fn} ${f.percent}%`).join(', ')}\n`);
  }
}
