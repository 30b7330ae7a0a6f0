import { notMeasured } from './result.js';
import type { Figure, Target } from './types.js';

/**
 * A figure not measured yet: it holds its row in the table and its entry in the JSON, so the
 * module that measures it only has to replace its file under bench/figures/.
 */
export function placeholderFigure(spec: { id: string; title: string; unit: string; target: Target; side: Figure['side']; note: string }): Figure {
  return {
    id: spec.id,
    title: spec.title,
    side: spec.side,
    run: () => Promise.resolve([notMeasured(spec.id, spec.title, spec.unit, spec.target, spec.note)]),
  };
}
