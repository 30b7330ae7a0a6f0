/** Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions by self and by inclusive time. */
import type { CallFrame, FrameLabeler } from './labels.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FunctionTime {
  /** "name (file:line)"; file relative to the repository where possible. */
  readonly fn: string;
  readonly ms: number;
  /** Share of the profile's sampled time, in percent. */
  readonly percent: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Time in JavaScript and natives, without (idle) and (program). */
  readonly busyMs: number;
  readonly self: FunctionTime[];
  readonly inclusive: FunctionTime[];
}

/** A time window on the profile's clock (CLOCK_MONOTONIC microseconds, as process.hrtime). */
export interface ProfileWindow {
  readonly fromUs: number;
  readonly toUs: number;
}

/** Ranks functions of one profile, optionally only within `window`. */
export function summarizeProfile(profile: CpuProfile, label: FrameLabeler, top = 15, window?: ProfileWindow): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    // V8 records the time since the previous sample; attribute it to this one.
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    total += us;
    const node = byId.get(id);
    if (!node) return;
    const key = label(node.callFrame);
    if (key === '(idle)' || key === '(program)') idle += us;
    self.set(key, (self.get(key) ?? 0) + us);
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const n = byId.get(up);
      if (!n) break;
      const k = label(n.callFrame);
      if (seen.has(k) || k === '(root)') continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  });
  const rank = (m: Map<string, number>): FunctionTime[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, ms: Math.round(us / 100) / 10, percent: total > 0 ? Math.round((1000 * us) / total) / 10 : 0 }));
  return { totalMs: Math.round(total / 1000), busyMs: Math.round((total - idle) / 1000), self: rank(self), inclusive: rank(inclusive) };
}

export function formatSummary(summary: ProfileSummary): string {
  const lines = [`sampled ${summary.totalMs} ms, busy (not idle/program) ${summary.busyMs} ms`, 'top self time:'];
  for (const f of summary.self) lines.push(`  ${f.percent.toFixed(1).padStart(5)}%  ${f.ms.toFixed(1).padStart(8)} ms  ${f.fn}`);
  lines.push('top inclusive time:');
  for (const f of summary.inclusive) lines.push(`  ${f.percent.toFixed(1).padStart(5)}%  ${f.ms.toFixed(1).padStart(8)} ms  ${f.fn}`);
  return lines.join('\n');
}

/**
 * Node names profiles CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; the main thread is
 * thread 0. The others belong to tsx's module loader thread.
 */
export function isMainThreadProfile(fileName: string): boolean {
  return /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(fileName);
}
