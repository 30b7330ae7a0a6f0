import { chromiumMissing, type FigureSpec } from '../../renderer/app.js';
import { bigRoomResults, type BigRoomRun, type BigRoomSizes } from '../../renderer/big-room.js';
import { failed, measured, medianDetails } from '../../lib/result.js';
import type { BenchContext, Figure } from '../../lib/types.js';

export interface BigRoomFigure {
  readonly spec: FigureSpec;
  /** The figure's value in one run. */
  readonly value: (run: BigRoomRun) => number;
  readonly details: (run: BigRoomRun) => Record<string, number>;
  readonly digits: number;
  readonly note: (sizes: BigRoomSizes) => string;
}

/** A figure read off the shared big-room scenario (bench/renderer/big-room.ts): one set of runs feeds them all. */
export function bigRoomFigure(figure: BigRoomFigure): Figure {
  const { spec } = figure;
  return {
    id: spec.id,
    title: spec.title,
    side: 'renderer',
    async run(ctx: BenchContext) {
      const missing = chromiumMissing([spec]);
      if (missing) return missing;
      try {
        const { sizes, runs } = await bigRoomResults(ctx);
        return [measured({ ...spec, runs: runs.map(figure.value), details: medianDetails(runs.map(figure.details), figure.digits), note: figure.note(sizes) })];
      } catch (error) {
        return [failed(spec.id, spec.title, spec.unit, spec.target, error)];
      }
    },
  };
}
