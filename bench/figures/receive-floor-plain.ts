/** Receive floor, plain room: (bare receive + one bare Ed25519 verify) ÷ core CPU per signed datagram (lib/receive-floor.ts). */
import { runReceiveFloor } from '../lib/receive-floor.js';
import type { Figure } from '../lib/types.js';

const SPEC = { id: 'receive-floor-plain', title: 'receive floor, plain room', sealed: false } as const;

export const receiveFloorPlain: Figure = {
  id: SPEC.id,
  title: SPEC.title,
  side: 'core',
  run: (ctx) => runReceiveFloor(ctx, SPEC),
};
