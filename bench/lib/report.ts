import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MachineInfo } from './machine.js';
import type { FigureResult } from './types.js';

export interface BenchReport {
  readonly generatedAt: string;
  readonly mode: 'quick' | 'full';
  readonly runs: number;
  readonly only: readonly string[];
  readonly machine: MachineInfo;
  readonly durationMs: number;
  readonly figures: readonly FigureResult[];
}

/** Writes bench-results/<mode>-<time>.json, and for a run of every figure a copy as latest-<mode>.json; returns the first path. */
export async function writeReport(dir: string, report: BenchReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = report.generatedAt.replace(/[:.]/g, '-');
  const file = path.join(dir, `${report.mode}-${stamp}-${process.pid}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  if (report.only.length === 0) await copyFile(file, path.join(dir, `latest-${report.mode}.json`));
  return file;
}
