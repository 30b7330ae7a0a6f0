/** Receive floor, passphrase room: the same floor plus one bare AES-256-GCM open ÷ core CPU per sealed datagram (lib/receive-floor.ts). */
import { runReceiveFloor } from '../lib/receive-floor.js';
import type { Figure } from '../lib/types.js';

const SPEC = { id: 'receive-floor-passphrase', title: 'receive floor, passphrase room', sealed: true } as const;

export const receiveFloorPassphrase: Figure = {
  id: SPEC.id,
  title: SPEC.title,
  side: 'core',
  run: (ctx) => runReceiveFloor(ctx, SPEC),
};
