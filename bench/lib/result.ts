import { median, round } from './stats.js';
import type { FigureResult, Status, Target } from './types.js';

export function targetMet(value: number, target: Target): boolean {
  return target.op === '>=' ? value >= target.threshold : value <= target.threshold;
}

export interface MeasuredInput {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly target: Target;
  /** The figure's value per run; the reported value is their median. */
  readonly runs: readonly number[];
  readonly details?: Readonly<Record<string, number | string>>;
  readonly note: string;
}

/** A measured figure: median over runs, compared with its target. */
export function measured(input: MeasuredInput): FigureResult {
  const value = round(median(input.runs), 4);
  const ok = Number.isFinite(value);
  const status: Status = !ok ? 'error' : targetMet(value, input.target) ? 'met' : 'missed';
  return {
    id: input.id,
    title: input.title,
    unit: input.unit,
    value: ok ? value : null,
    target: input.target,
    status,
    runs: input.runs.map((r) => round(r, 4)),
    details: input.details ?? {},
    note: input.note,
  };
}

/** A figure that could not be measured in this run (a worker died, timed out...). */
export function failed(id: string, title: string, unit: string, target: Target, error: unknown): FigureResult {
  return { id, title, unit, value: null, target, status: 'error', runs: [], details: {}, note: `failed: ${error instanceof Error ? error.message : String(error)}` };
}

/** A figure a later module will measure (the renderer ones need Chromium). */
export function notMeasured(id: string, title: string, unit: string, target: Target, note: string): FigureResult {
  return { id, title, unit, value: null, target, status: 'not measured yet', runs: [], details: {}, note };
}

/** Medians of per-run detail records, rounded: what goes into `details`. */
export function medianDetails(perRun: readonly Readonly<Record<string, number>>[], digits = 3): Record<string, number> {
  const keys = new Set(perRun.flatMap((r) => Object.keys(r)));
  const out: Record<string, number> = {};
  for (const key of keys) out[key] = round(median(perRun.map((r) => r[key] ?? Number.NaN).filter(Number.isFinite)), digits);
  return out;
}
