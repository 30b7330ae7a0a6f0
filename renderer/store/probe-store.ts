import { create } from 'zustand';
import type { ChatErrorInfo } from '../../shared/errors.js';
import type { ReachResult } from '../../shared/events.js';
import { invoke } from '../api.js';
import { useChatStore } from './store.js';

/** A room's reach probe: under way, answered, or failed. */
export type ProbeState =
  | { readonly phase: 'running'; readonly ttlMax: number; readonly startedAt: number }
  | { readonly phase: 'done'; readonly ttlMax: number; readonly rows: readonly ReachResult[]; readonly finishedAt: number }
  | { readonly phase: 'failed'; readonly ttlMax: number; readonly error: ChatErrorInfo };

/**
 * Per room, the last probe. Kept outside the panel: the details column is replaced while a
 * message is inspected, and a probe that runs for seconds must still land where it is looked for.
 */
export const useProbeStore = create<{ readonly probes: Readonly<Record<string, ProbeState>> }>()(() => ({ probes: {} }));

const setProbe = (roomId: string, state: ProbeState): void => useProbeStore.setState((s) => ({ probes: { ...s.probes, [roomId]: state } }));

/** Starts a probe unless one of this room is under way (main would refuse it anyway). */
export async function runProbe(roomId: string, ttlMax: number): Promise<void> {
  if (useProbeStore.getState().probes[roomId]?.phase === 'running') return;
  setProbe(roomId, { phase: 'running', ttlMax, startedAt: Date.now() });
  const answer = await invoke((api) => api.probeReach({ roomId, ttlMax }));
  setProbe(roomId, answer.ok ? { phase: 'done', ttlMax, rows: answer.value, finishedAt: Date.now() } : { phase: 'failed', ttlMax, error: answer.error });
}

// A room that is left takes its probe along: joined again, it must not show the old answer.
useChatStore.subscribe((state, previous) => {
  if (state.rooms === previous.rooms) return;
  const probes = useProbeStore.getState().probes;
  if (Object.keys(probes).every((roomId) => state.rooms[roomId])) return;
  useProbeStore.setState({ probes: Object.fromEntries(Object.entries(probes).filter(([roomId]) => state.rooms[roomId])) });
});

export const useProbe = (roomId: string): ProbeState | undefined => useProbeStore((s) => s.probes[roomId]);

/** For tests. */
export function resetProbeStore(): void {
  useProbeStore.setState({ probes: {} }, true);
}
