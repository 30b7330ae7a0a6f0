import { describe, expect, it } from 'vitest';
import { emptyCounters, type GapReport } from '../../shared/events.js';
import { message, peer, room } from '../test-helpers.js';
import { removeRoom, resetCounters, selectRoom } from './actions.js';
import { useProbeStore } from './probe-store.js';
import { loadOlderHistory } from './history-actions.js';
import { ingestCoreEvents } from './ingest.js';
import { useChatStore } from './store.js';

// Unlike any other string in the state, so finding it anywhere means something of the room stayed.
const LEAVING = 'room-being-left';
const mallory = peer({ peerId: 'eeee111122223333', nick: 'mallory', addresses: ['198.18.1.66:6666'], flooding: true });
const gap: GapReport = { id: 's1:0', peerId: mallory.peerId, nick: 'mallory', first: 5, last: 6, count: 2, repaired: 0, lost: 0, outOfScope: 0, nacks: 1, state: 'asking', order: message().order };
const meter = { peerId: mallory.peerId, received: 3, gaps: 1, repaired: 0, lost: 0, duplicates: 0, reordered: 0, late: 0 };

/** A room with something in every part of its record: messages, peers, counters, loss, floods, notices... */
async function busyRoom(roomId: string): Promise<void> {
  const alice = peer();
  ingestCoreEvents([
    { type: 'room', room: room({ roomId, group: '239.255.7.7' }) },
    { type: 'message', message: message({ roomId }) },
    { type: 'peer-joined', roomId, peer: alice },
    { type: 'peer-joined', roomId, peer: mallory },
    { type: 'peer-left', roomId, peer: alice, reason: 'bye' },
    { type: 'counters', roomId, counters: { ...emptyCounters(), datagramsIn: 4 } },
    { type: 'meter', roomId, peers: [meter] },
    { type: 'loss', roomId, gap },
    { type: 'flood', roomId, src: '198.18.1.66:6666', peerId: mallory.peerId, nick: 'mallory', dropped: 40 },
    { type: 'impersonation', roomId, peer: { ...mallory, impersonates: alice.peerId }, ownerPeerId: alice.peerId },
    { type: 'error', roomId, error: { code: 'WRONG_PASSPHRASE', message: 'Datagrams under another passphrase.' } },
  ]);
  resetCounters(roomId);
  // No main process in this test: the page fails, which still gives the room a history state.
  await loadOlderHistory(roomId);
}

describe('one record per room', () => {
  it('leaving a room removes everything of it and leaves the other rooms as they were', async () => {
    ingestCoreEvents([{ type: 'room', room: room({ roomId: 'staying' }) }]);
    await busyRoom(LEAVING);
    const before = useChatStore.getState();
    const record = before.rooms[LEAVING];
    // Every part filled, so the check after leaving covers each of them (and any part added later).
    for (const [part, value] of Object.entries(record ?? {})) {
      expect(value === undefined || value === 0 || (typeof value === 'object' && Object.keys(value as object).length === 0), part).toBe(false);
    }
    expect(before.notices.some((n) => n.roomId === LEAVING)).toBe(true);
    // Its reach probe lives in its own store (it outlives the details column) and goes too.
    useProbeStore.setState({ probes: { [LEAVING]: { phase: 'done', ttlMax: 8, rows: [], finishedAt: 1 }, staying: { phase: 'running', ttlMax: 8, startedAt: 1 } } });
    selectRoom(LEAVING);
    const staying = useChatStore.getState().rooms.staying;

    removeRoom(LEAVING);

    const after = useChatStore.getState();
    expect(after.rooms[LEAVING]).toBeUndefined();
    expect(JSON.stringify(after)).not.toContain(LEAVING);
    expect(after.selectedRoomId).toBe('staying');
    expect(after.rooms.staying).toBe(staying);
    expect(Object.keys(useProbeStore.getState().probes)).toEqual(['staying']);
  });

  it('replaces only the record of the room an event is about', () => {
    ingestCoreEvents([{ type: 'room', room: room({ roomId: 'a' }) }, { type: 'room', room: room({ roomId: 'b', group: '239.255.0.2' }) }]);
    const { rooms } = useChatStore.getState();
    ingestCoreEvents([{ type: 'counters', roomId: 'b', counters: emptyCounters() }]);
    const after = useChatStore.getState().rooms;
    expect(after.a).toBe(rooms.a);
    expect(after.b).not.toBe(rooms.b);
    // The parts that did not change keep their identity, so their selectors do not re-render.
    expect(after.b?.log).toBe(rooms.b?.log);
    expect(after.b?.snapshot).toBe(rooms.b?.snapshot);
  });
});
