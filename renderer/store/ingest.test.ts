import { describe, expect, it } from 'vitest';
import { emptyCounters } from '../../shared/events.js';
import { message, peer, room } from '../test-helpers.js';
import { appendOwnMessage, removeRoom, selectAdjacentRoom, selectRoom, selectRoomAt } from './actions.js';
import { ingestCoreEvents } from './ingest.js';
import { appendCapped, type LogEntry } from './messages-slice.js';
import { useChatStore } from './store.js';

const twoRooms = () =>
  ingestCoreEvents([
    { type: 'room', room: room({ roomId: 'r1', name: 'lobby' }) },
    { type: 'room', room: room({ roomId: 'r2', name: 'lab', group: '239.255.0.2' }) },
  ]);

const chatIn = (roomId: string) => (useChatStore.getState().logs[roomId] ?? []).filter((e) => e.kind !== 'system');

describe('ingestCoreEvents', () => {
  it('applies a whole batch in one store update', () => {
    twoRooms();
    let updates = 0;
    const unsubscribe = useChatStore.subscribe(() => updates++);
    ingestCoreEvents([
      { type: 'message', message: message({ roomId: 'r1' }) },
      { type: 'message', message: message({ roomId: 'r2' }) },
      { type: 'message', message: message({ roomId: 'r2' }) },
      { type: 'counters', roomId: 'r2', counters: { ...emptyCounters(), datagramsIn: 2 } },
    ]);
    unsubscribe();
    expect(updates).toBe(1);
    expect(chatIn('r1')).toHaveLength(1);
    expect(chatIn('r2')).toHaveLength(2);
    expect(useChatStore.getState().counters.r2?.datagramsIn).toBe(2);
  });

  it('counts unread messages from others only in rooms that are not selected', () => {
    twoRooms();
    expect(useChatStore.getState().selectedRoomId).toBe('r1');
    ingestCoreEvents([
      { type: 'message', message: message({ roomId: 'r1' }) },
      { type: 'message', message: message({ roomId: 'r2' }) },
      { type: 'message', message: message({ roomId: 'r2' }) },
      { type: 'message', message: message({ roomId: 'r2', own: true, nick: 'me', peerId: 'me00000000000000' }) },
    ]);
    expect(useChatStore.getState().unread).toEqual({ r2: 2 });
    selectRoom('r2');
    expect(useChatStore.getState().unread).toEqual({});
  });

  it('replaces log arrays instead of mutating them', () => {
    twoRooms();
    ingestCoreEvents([{ type: 'message', message: message({ roomId: 'r1', text: 'first' }) }]);
    const before = useChatStore.getState().logs.r1 ?? [];
    const lengthBefore = before.length;
    const r2Before = useChatStore.getState().logs.r2;
    ingestCoreEvents([{ type: 'message', message: message({ roomId: 'r1', text: 'second' }) }]);
    const after = useChatStore.getState().logs.r1 ?? [];
    expect(after).not.toBe(before);
    expect(before).toHaveLength(lengthBefore);
    expect(after).toHaveLength(lengthBefore + 1);
    expect(useChatStore.getState().logs.r2).toBe(r2Before);
  });

  it('tracks peers joining, renaming and leaving, with a line in the log for each', () => {
    twoRooms();
    const alice = peer();
    ingestCoreEvents([{ type: 'peer-joined', roomId: 'r1', peer: alice }]);
    expect(Object.keys(useChatStore.getState().peers.r1 ?? {})).toEqual([alice.peerId]);
    ingestCoreEvents([{ type: 'peer-updated', roomId: 'r1', peer: { ...alice, nick: 'alicia' } }]);
    expect(useChatStore.getState().peers.r1?.[alice.peerId]?.nick).toBe('alicia');
    ingestCoreEvents([{ type: 'peer-left', roomId: 'r1', peer: { ...alice, nick: 'alicia' }, reason: 'timeout' }]);
    expect(useChatStore.getState().peers.r1).toEqual({});
    const lines = (useChatStore.getState().logs.r1 ?? []).flatMap((e) => (e.kind === 'system' ? [e.text] : []));
    expect(lines).toContain('alice joined from 192.168.1.20:4242.');
    expect(lines).toContain('alice is now known as alicia.');
    expect(lines).toContain('alicia went silent and timed out.');
  });

  it('shows an own message once whether the send result or the echo comes first', () => {
    twoRooms();
    const own = message({ roomId: 'r1', own: true, id: 'own-1' });
    appendOwnMessage(own);
    ingestCoreEvents([{ type: 'message', message: own }]);
    const echoFirst = message({ roomId: 'r1', own: true, id: 'own-2' });
    ingestCoreEvents([{ type: 'message', message: echoFirst }, { type: 'message', message: echoFirst }]);
    appendOwnMessage(echoFirst);
    expect(chatIn('r1').map((m) => m.id)).toEqual(['own-1', 'own-2']);
  });

  it('drops events for rooms it does not know', () => {
    twoRooms();
    ingestCoreEvents([
      { type: 'message', message: message({ roomId: 'gone' }) },
      { type: 'peer-joined', roomId: 'gone', peer: peer() },
      { type: 'counters', roomId: 'gone', counters: emptyCounters() },
    ]);
    const state = useChatStore.getState();
    expect(state.logs.gone).toBeUndefined();
    expect(state.peers.gone).toBeUndefined();
    expect(state.counters.gone).toBeUndefined();
  });

  it('removes a room that was left and selects its neighbour', () => {
    twoRooms();
    ingestCoreEvents([{ type: 'message', message: message({ roomId: 'r1' }) }]);
    removeRoom('r1');
    const state = useChatStore.getState();
    expect(state.roomOrder).toEqual(['r2']);
    expect(state.selectedRoomId).toBe('r2');
    expect(state.logs.r1).toBeUndefined();
    // A late snapshot of the room the user left must not bring it back.
    ingestCoreEvents([{ type: 'room', room: room({ roomId: 'r1', status: 'left' }) }]);
    expect(useChatStore.getState().roomOrder).toEqual(['r2']);
  });

  it('turns core errors into banners naming the room', () => {
    twoRooms();
    ingestCoreEvents([{ type: 'error', roomId: 'r2', error: { code: 'NETWORK_ERROR', message: 'The network went away. Check the cable.' } }]);
    expect(useChatStore.getState().notices.map((n) => [n.level, n.message])).toEqual([['error', 'lab: The network went away. Check the cable.']]);
  });

  it('writes a log line when a room becomes joined or fails', () => {
    ingestCoreEvents([{ type: 'room', room: room({ status: 'joining', interfaces: [] }) }]);
    ingestCoreEvents([{ type: 'room', room: room({ status: 'joined' }) }]);
    ingestCoreEvents([{ type: 'room', room: room({ status: 'error', error: { code: 'PORT_IN_USE', message: 'Port 4242 is taken.' } }) }]);
    const lines = (useChatStore.getState().logs.r1 ?? []).map((e) => (e.kind === 'system' ? e.text : ''));
    expect(lines).toEqual(['Joined 239.255.42.99:4242 on eth0 (192.168.1.10).', 'Port 4242 is taken.']);
  });
});

describe('room selection', () => {
  it('moves with wrap-around and by position', () => {
    twoRooms();
    expect(selectAdjacentRoom(1)).toBe('r2');
    expect(selectAdjacentRoom(1)).toBe('r1');
    expect(selectAdjacentRoom(-1)).toBe('r2');
    expect(selectRoomAt(0)).toBe('r1');
    expect(selectRoomAt(5)).toBeNull();
    expect(useChatStore.getState().selectedRoomId).toBe('r1');
  });
});

describe('appendCapped', () => {
  it('keeps the newest lines and trims a tenth at a time when over the cap', () => {
    const log: LogEntry[] = Array.from({ length: 100 }, (_, i) => message({ id: `m-${i}` }));
    const next = appendCapped(log, [message({ id: 'new' })], 100);
    expect(next).toHaveLength(90);
    const last = next[next.length - 1];
    expect(last?.kind !== 'system' && last?.id).toBe('new');
    expect(appendCapped(log, [], 100)).toBe(log);
  });
});
