import { ChatError } from '../../shared/errors.js';
import type { ReachResult } from '../../shared/events.js';
import { checkedReach, probeDurationMs } from '../../shared/reach.js';
import type { CorePort } from './dispatch-ports.js';

export type ProbeReach = (roomId: string, ttlMax: number) => Promise<ReachResult[]>;

/**
 * The window's reach probe: one at a time per room. The core would run two side by side, but a
 * second one doubles the probes on the wire and the answers each member sends, and the page has
 * one result to show; a second click (or a reloaded page asking again) is told to wait instead.
 * The answer is awaited, never blocking: other commands are answered meanwhile.
 */
export function createReachProber(core: Pick<CorePort, 'probeReach' | 'rooms'>): ProbeReach {
  const running = new Map<string, number>();
  return async (roomId, ttlMax) => {
    const current = running.get(roomId);
    if (current !== undefined) {
      const name = core.rooms().find((r) => r.roomId === roomId)?.name ?? roomId;
      const seconds = Math.ceil(probeDurationMs(current) / 1_000);
      throw new ChatError('PROBE_RUNNING', `A probe of ${name} is already running (up to TTL ${current}, about ${seconds} s): wait for its answer.`);
    }
    running.set(roomId, ttlMax);
    try {
      return checkedReach(await core.probeReach(roomId, ttlMax));
    } finally {
      running.delete(roomId);
    }
  };
}
