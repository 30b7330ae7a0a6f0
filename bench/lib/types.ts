/** What a figure module produces and what the runner gives it. */

export type Status = 'met' | 'missed' | 'not measured yet' | 'error';

export interface Target {
  /** The figure meets its target when `value op threshold`. */
  readonly op: '>=' | '<=';
  readonly threshold: number;
  /** How the table shows the target, e.g. "<= bare p99 + 1 ms". */
  readonly text: string;
}

/** One row of the table, one entry of the JSON. */
export interface FigureResult {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  /** Median over runs; null only for figures not measured (no Chromium) or failed. */
  readonly value: number | null;
  readonly target: Target;
  readonly status: Status;
  /** The figure's value in each run, in order. */
  readonly runs: readonly number[];
  /** Supporting numbers (medians over runs unless the key says otherwise). */
  readonly details: Readonly<Record<string, number | string>>;
  /** How it was measured, or why it is not. */
  readonly note: string;
}

export interface BenchContext {
  readonly quick: boolean;
  readonly runs: number;
  /** When set, receiving processes run under --cpu-prof and write their profiles below it. */
  readonly profileDir: string | null;
  readonly resultsDir: string;
  readonly log: (line: string) => void;
}

/** A figure: one file under bench/figures/, listed in the registry. */
export interface Figure {
  readonly id: string;
  readonly title: string;
  /** 'core' figures run in Node; 'renderer' figures need Chromium. */
  readonly side: 'core' | 'renderer';
  run(ctx: BenchContext): Promise<FigureResult[]>;
}
