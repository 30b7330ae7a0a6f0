import { chatDatagram } from './chat-datagram.js';
import { coalescing } from './coalescing.js';
import { latency } from './latency.js';
import { loopDelayFlood } from './loop-delay-flood.js';
import { loopDelayHistory } from './loop-delay-history.js';
import { memoryCore } from './memory-core.js';
import { presenceTraffic } from './presence-traffic.js';
import { receiveFloorPassphrase } from './receive-floor-passphrase.js';
import { receiveFloorPlain } from './receive-floor-plain.js';
import { bigRoomFirstRender } from './renderer/big-room-first-render.js';
import { rendererFirstPaint } from './renderer/renderer-first-paint.js';
import { rendererHeap } from './renderer/renderer-heap.js';
import { smoothUnderLoad } from './renderer/smooth-under-load.js';
import { toScreen } from './renderer/to-screen.js';
import { startCore } from './start-core.js';
import type { Figure } from '../lib/types.js';

/**
 * Every figure, in table order: issue 14's targets first, then the figures kept from before.
 * A new figure is one file under bench/figures/ and one line here.
 */
export const FIGURES: readonly Figure[] = [
  receiveFloorPlain,
  receiveFloorPassphrase,
  latency,
  loopDelayHistory,
  loopDelayFlood,
  presenceTraffic,
  chatDatagram,
  memoryCore,
  toScreen,
  smoothUnderLoad,
  bigRoomFirstRender,
  coalescing,
  rendererHeap,
  startCore,
  rendererFirstPaint,
];

/** The figures named by --only (all when none), or an error naming the unknown ones. */
export function selectFigures(only: readonly string[]): Figure[] {
  if (only.length === 0) return [...FIGURES];
  const unknown = only.filter((id) => !FIGURES.some((f) => f.id === id));
  if (unknown.length > 0) throw new Error(`unknown figure ${unknown.join(', ')}; known: ${FIGURES.map((f) => f.id).join(', ')}`);
  return FIGURES.filter((f) => only.includes(f.id));
}
