import { coalescing } from './coalescing.js';
import { ingestPassphrase } from './ingest-passphrase.js';
import { ingestPlain } from './ingest-plain.js';
import { latency } from './latency.js';
import { memoryCore } from './memory-core.js';
import { bigRoomFirstRender } from './renderer/big-room-first-render.js';
import { rendererFirstPaint } from './renderer/renderer-first-paint.js';
import { rendererHeap } from './renderer/renderer-heap.js';
import { smoothUnderLoad } from './renderer/smooth-under-load.js';
import { toScreen } from './renderer/to-screen.js';
import { startCore } from './start-core.js';
import type { Figure } from '../lib/types.js';

/** Every figure, in table order. A new figure is one file under bench/figures/ and one line here. */
export const FIGURES: readonly Figure[] = [
  ingestPlain,
  latency,
  coalescing,
  memoryCore,
  startCore,
  ingestPassphrase,
  toScreen,
  bigRoomFirstRender,
  smoothUnderLoad,
  rendererHeap,
  rendererFirstPaint,
];

/** The figures named by --only (all when none), or an error naming the unknown ones. */
export function selectFigures(only: readonly string[]): Figure[] {
  if (only.length === 0) return [...FIGURES];
  const unknown = only.filter((id) => !FIGURES.some((f) => f.id === id));
  if (unknown.length > 0) throw new Error(`unknown figure ${unknown.join(', ')}; known: ${FIGURES.map((f) => f.id).join(', ')}`);
  return FIGURES.filter((f) => only.includes(f.id));
}
