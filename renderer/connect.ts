import type { McchatApi } from '../shared/ipc/contract.js';
import { invoke, setApi } from './api.js';
import { addNotice, selectRoom, failStartup, hydrate, setCounters, setMeters, setPeers } from './store/actions.js';
import { watchRoomsForHistory } from './store/history-actions.js';
import { loadPreferences } from './store/preferences-store.js';
import { ingestCoreEvents } from './store/ingest.js';
import { reportViewState } from './view-state.js';

/**
 * Start-up order matters: subscribe first, then read the state, then tell main it may push.
 * Main holds events back until `rendererReady`, so nothing falls between the snapshot and the stream.
 * Returns what stops both event streams and the history loader.
 */
export async function connect(api: McchatApi): Promise<() => void> {
  setApi(api);
  const unsubscribers = [
    api.on('core', ingestCoreEvents),
    api.on('notice', (notice) => addNotice(notice.level, notice.message)),
    // A notification or the tray was clicked: main asks for its room.
    api.on('openRoom', selectRoom),
    // Each joined room's first history page; it may overlap live messages, which are not shown twice.
    watchRoomsForHistory(),
  ];
  const disconnect = () => unsubscribers.forEach((off) => off());

  const state = await invoke((a) => a.getState());
  if (!state.ok) {
    failStartup(state.error.message);
    return disconnect;
  }
  hydrate(state.value);
  // Presenter mode among them: main's word replaces the localStorage cache the first paint used.
  await loadPreferences();

  // Peers, counters and meters are not part of getState; fetch them before the stream starts so events land on top.
  await Promise.all(
    state.value.rooms.map(async ({ roomId }) => {
      const [peers, counters, meters] = await Promise.all([invoke((a) => a.getPeers(roomId)), invoke((a) => a.getCounters(roomId)), invoke((a) => a.getMeter(roomId))]);
      if (peers.ok) setPeers(roomId, peers.value);
      if (counters.ok) setCounters(roomId, counters.value);
      if (meters.ok) setMeters(roomId, meters.value);
    }),
  );

  unsubscribers.push(reportViewState());
  const ready = await invoke((a) => a.rendererReady());
  if (!ready.ok) addNotice('error', ready.error.message);
  return disconnect;
}
