import { describe, expect, it } from 'vitest';
import { emptyCounters } from '../../shared/events.js';
import { message, peer, room } from '../test-helpers.js';
import { appendOwnMessage, hydrate, removeRoom, selectAdjacentRoom, selectRoom, selectRoomAt, upsertRoom } from './actions.js';
import { applyCoreEvents, ingestCoreEvents } from './ingest.js';
import { useChatStore } from './store.js';
import { unreadCounts } from './test-state.js';

const twoRooms = () =>
  ingestCoreEvents([
    { type: 'room', room: room({ roomId: 'r1', name: 'lobby' }) },
    { type: 'room', room: room({ roomId: 'r2', name: 'lab', group: '239.255.0.2' }) },
  ]);

const chatIn = (roomId: string) => (useChatStore.getState().rooms[roomId]?.log ?? []).filter((e) => e.kind !== 'system');

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
    expect(useChatStore.getState().rooms.r2?.counters?.datagramsIn).toBe(2);
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
    expect(unreadCounts()).toEqual({ r2: 2 });
    selectRoom('r2');
    expect(unreadCounts()).toEqual({});
  });

  it('replaces log arrays instead of mutating them', () => {
    twoRooms();
    ingestCoreEvents([{ type: 'message', message: message({ roomId: 'r1', text: 'first' }) }]);
    const before = useChatStore.getState().rooms.r1?.log ?? [];
    const lengthBefore = before.length;
    const r2Before = useChatStore.getState().rooms.r2?.log;
    ingestCoreEvents([{ type: 'message', message: message({ roomId: 'r1', text: 'second' }) }]);
    const after = useChatStore.getState().rooms.r1?.log ?? [];
    expect(after).not.toBe(before);
    expect(before).toHaveLength(lengthBefore);
    expect(after).toHaveLength(lengthBefore + 1);
    expect(useChatStore.getState().rooms.r2?.log).toBe(r2Before);
  });

  it('tracks peers joining, renaming and leaving, with a line in the log for each', () => {
    twoRooms();
    const alice = peer();
    ingestCoreEvents([{ type: 'peer-joined', roomId: 'r1', peer: alice }]);
    expect(Object.keys(useChatStore.getState().rooms.r1?.peers ?? {})).toEqual([alice.peerId]);
    ingestCoreEvents([{ type: 'peer-updated', roomId: 'r1', peer: { ...alice, nick: 'alicia' } }]);
    expect(useChatStore.getState().rooms.r1?.peers[alice.peerId]?.nick).toBe('alicia');
    ingestCoreEvents([{ type: 'peer-left', roomId: 'r1', peer: { ...alice, nick: 'alicia' }, reason: 'timeout' }]);
    expect(useChatStore.getState().rooms.r1?.peers).toEqual({});
    const lines = (useChatStore.getState().rooms.r1?.log ?? []).flatMap((e) => (e.kind === 'system' ? [e.text] : []));
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
    expect(state.rooms.gone).toBeUndefined();
    expect(state.roomOrder).toEqual(['r1', 'r2']);
  });

  it('the room that opens when the open one is left has been read: no unread left on it', () => {
    twoRooms();
    ingestCoreEvents([{ type: 'message', message: message({ roomId: 'r2', text: 'waiting in lab' }) }]);
    expect(useChatStore.getState().rooms.r2?.unread).toBe(1);
    removeRoom('r1');
    expect(useChatStore.getState().selectedRoomId).toBe('r2');
    expect(useChatStore.getState().rooms.r2?.unread).toBe(0);
  });

  it('removes a room that was left and selects its neighbour', () => {
    twoRooms();
    ingestCoreEvents([{ type: 'message', message: message({ roomId: 'r1' }) }]);
    removeRoom('r1');
    const state = useChatStore.getState();
    expect(state.roomOrder).toEqual(['r2']);
    expect(state.selectedRoomId).toBe('r2');
    expect(state.rooms.r1).toBeUndefined();
    // A late snapshot of the room the user left must not bring it back.
    ingestCoreEvents([{ type: 'room', room: room({ roomId: 'r1', status: 'left' }) }]);
    expect(useChatStore.getState().roomOrder).toEqual(['r2']);
  });

  it('turns core errors into notices of their room, counting repeats; leaving the room drops them', () => {
    twoRooms();
    ingestCoreEvents([{ type: 'error', roomId: 'r2', error: { code: 'NETWORK_ERROR', message: 'The network went away. Check the cable.' } }]);
    ingestCoreEvents([{ type: 'error', roomId: 'r2', error: { code: 'NETWORK_ERROR', message: 'The network went away. Check the cable.' } }]);
    ingestCoreEvents([{ type: 'error', roomId: 'r1', error: { code: 'WRONG_PASSPHRASE', message: 'Another passphrase.' } }]);
    expect(useChatStore.getState().notices.map((n) => [n.roomId, n.level, n.message, n.count])).toEqual([
      ['r2', 'error', 'The network went away. Check the cable.', 2],
      ['r1', 'warning', 'Another passphrase.', 1],
    ]);
    ingestCoreEvents([{ type: 'room', room: room({ roomId: 'r2', status: 'left' }) }]);
    expect(useChatStore.getState().notices.map((n) => n.roomId)).toEqual(['r1']);
  });

  it('writes a log line when a room becomes joined or fails', () => {
    ingestCoreEvents([{ type: 'room', room: room({ status: 'joining', interfaces: [] }) }]);
    ingestCoreEvents([{ type: 'room', room: room({ status: 'joined' }) }]);
    ingestCoreEvents([{ type: 'room', room: room({ status: 'error', error: { code: 'PORT_IN_USE', message: 'Port 4242 is taken.' } }) }]);
    const lines = (useChatStore.getState().rooms.r1?.log ?? []).map((e) => (e.kind === 'system' ? e.text : ''));
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

describe('order, gaps and floods', () => {
  const key = (l: number, peer = 'aaaa111122223333'): string => `${String(l).padStart(15, '0')}.000000.${peer}`;
  const texts = (roomId = 'r1') => (useChatStore.getState().rooms[roomId]?.log ?? []).map((e) => (e.kind === 'system' ? `* ${e.text}` : e.text));
  /** One batch at a given wall-clock time, as the `core` handler applies it. */
  const at = (now: number, batch: Parameters<typeof applyCoreEvents>[1]) => useChatStore.setState((s) => applyCoreEvents(s, batch, now));
  const alice = peer();
  const mallory = peer({ peerId: 'eeee111122223333', nick: 'mallory', addresses: ['198.18.1.66:6666'] });

  it('puts a repaired message at its place by order, and counts it as unread once', () => {
    twoRooms();
    ingestCoreEvents([
      { type: 'message', message: message({ roomId: 'r2', text: 'one', order: key(1) }) },
      { type: 'message', message: message({ roomId: 'r2', text: 'three', order: key(3) }) },
    ]);
    const repaired = message({ roomId: 'r2', text: 'two', order: key(2) });
    ingestCoreEvents([{ type: 'message', message: repaired }]);
    ingestCoreEvents([{ type: 'message', message: repaired }]);
    expect(texts('r2').filter((t) => !t.startsWith('*'))).toEqual(['one', 'two', 'three']);
    expect(unreadCounts()).toEqual({ r2: 3 });
  });

  it('does not count messages sent before we joined as unread, and shows an overlapping copy once', () => {
    twoRooms();
    const live = message({ roomId: 'r2', text: 'live', order: key(10) });
    ingestCoreEvents([{ type: 'message', message: live }]);
    ingestCoreEvents([
      { type: 'message', message: message({ roomId: 'r2', text: 'from before', order: key(5), history: true }) },
      { type: 'message', message: { ...live, history: true } },
    ]);
    expect(texts('r2').filter((t) => !t.startsWith('*'))).toEqual(['from before', 'live']);
    expect(unreadCounts()).toEqual({ r2: 1 });
  });

  it('writes a gap where it arrived, even when later messages carry older clocks', () => {
    twoRooms();
    // After the "Joined" line, which follows the wall clock.
    const base = Date.now() + 60_000;
    ingestCoreEvents([{ type: 'message', message: message({ text: 'before the gap', order: key(base) }) }]);
    ingestCoreEvents([
      { type: 'gap', roomId: 'r1', peerId: alice.peerId, nick: 'alice', count: 2 },
      { type: 'message', message: message({ text: 'after the gap', order: key(base + 1) }) },
      { type: 'message', message: message({ text: 'late, with an older clock', order: key(base - 1) }) },
    ]);
    ingestCoreEvents([{ type: 'gap', roomId: 'r1', peerId: alice.peerId, nick: 'alice', count: 1 }]);
    expect(texts().slice(-5)).toEqual([
      'late, with an older clock',
      'before the gap',
      '* 2 messages from alice could not be recovered.',
      'after the gap',
      '* 1 message from alice could not be recovered.',
    ]);
    const gap = (useChatStore.getState().rooms.r1?.log ?? []).find((e) => e.kind === 'system' && e.text.startsWith('2 messages'));
    expect(gap?.kind === 'system' && gap.tone).toBe('warning');
  });

  it('reports a flood at once, then at most every ten seconds with what was dropped meanwhile, and its end', () => {
    twoRooms();
    const flood = (dropped: number) => ({ type: 'flood' as const, roomId: 'r1', src: '198.18.1.66:6666', peerId: mallory.peerId, nick: 'mallory', dropped });
    at(1_000, [{ type: 'peer-joined', roomId: 'r1', peer: mallory }]);
    at(2_000, [{ type: 'peer-updated', roomId: 'r1', peer: { ...mallory, flooding: true } }, flood(1_234)]);
    for (let t = 3_000; t <= 11_000; t += 1_000) at(t, [flood(100)]);
    at(12_000, [flood(100)]);
    at(13_000, [flood(50)]);
    at(14_000, [{ type: 'peer-updated', roomId: 'r1', peer: { ...mallory, flooding: false } }]);
    expect(texts().filter((t) => t.includes('flooding'))).toEqual([
      '* mallory (198.18.1.66:6666) is flooding the room: 1,234 datagrams dropped.',
      '* mallory (198.18.1.66:6666) is still flooding the room: 1,000 more dropped, 2,234 datagrams in all.',
      '* mallory (198.18.1.66:6666) stopped flooding the room: 2,284 datagrams dropped in all.',
    ]);
    expect(useChatStore.getState().rooms.r1?.floods).toEqual({});
  });

  it('names a raw flooder by its source, and treats a flood after a quiet spell as a new one', () => {
    twoRooms();
    const raw = (dropped: number) => ({ type: 'flood' as const, roomId: 'r1', src: '10.0.0.9:5000', peerId: null, nick: null, dropped });
    at(0, [raw(5)]);
    at(60_000, [raw(7)]);
    expect(texts().filter((t) => t.includes('flooding'))).toEqual([
      '* 10.0.0.9:5000 is flooding the room: 5 datagrams dropped.',
      '* 10.0.0.9:5000 is flooding the room: 7 datagrams dropped.',
    ]);
  });

  it('keeps the flooding flag of a peer', () => {
    twoRooms();
    ingestCoreEvents([{ type: 'peer-joined', roomId: 'r1', peer: { ...mallory, flooding: true } }]);
    expect(useChatStore.getState().rooms.r1?.peers[mallory.peerId]?.flooding).toBe(true);
  });

  it('says when a room is reconnecting, and when it is joined again', () => {
    twoRooms();
    ingestCoreEvents([{ type: 'room', room: room({ roomId: 'r1', status: 'reconnecting', interfaces: [] }) }]);
    expect(useChatStore.getState().rooms.r1?.snapshot.status).toBe('reconnecting');
    ingestCoreEvents([{ type: 'room', room: room({ roomId: 'r1', status: 'reconnecting', interfaces: [] }) }]);
    ingestCoreEvents([{ type: 'room', room: room({ roomId: 'r1', status: 'joined', interfaces: [{ name: 'wlan0', address: '10.1.2.3' }] }) }]);
    expect(texts().slice(-2)).toEqual(['* The network changed or went away: reconnecting…', '* Joined 239.255.42.99:4242 on wlan0 (10.1.2.3).']);
  });
});

describe('impersonation', () => {
  it('says loudly in the log when a nickname turns up with another key', () => {
    twoRooms();
    const impostor = peer({ peerId: 'ffff111122223333', nick: 'alice', fingerprint: 'ffff 1111 2222 3333', impersonates: 'aaaa111122223333' });
    ingestCoreEvents([{ type: 'impersonation', roomId: 'r1', peer: impostor, ownerPeerId: 'aaaa111122223333' }]);
    const last = (useChatStore.getState().rooms.r1?.log ?? []).at(-1);
    expect(last?.kind === 'system' && [last.tone, last.text]).toEqual(['error', 'alice (key ffff 1111 2222 3333) uses a nickname first seen with another key: maybe not who they say.']);
    expect(useChatStore.getState().rooms.r1?.peers[impostor.peerId]?.impersonates).toBe('aaaa111122223333');
  });
});

describe('TTL changes', () => {
  const systemTexts = () => (useChatStore.getState().rooms.r1?.log ?? []).flatMap((e) => (e.kind === 'system' ? [e.text] : []));
  const app = (ttl: number) => ({
    appVersion: '1',
    peerId: 'p',
    fingerprint: 'p',
    nickname: 'me',
    firstRun: false,
    rooms: [room({ ttl })],
    interfaces: [],
    pinnedIface: null,
  });

  it('writes nothing when a room first appears, at start or on joining, whatever its TTL', () => {
    hydrate(app(32));
    ingestCoreEvents([{ type: 'room', room: room({ roomId: 'r2', status: 'joining', ttl: 64 }) }, { type: 'room', room: room({ roomId: 'r2', ttl: 64 }) }]);
    // The window reloads: the same rooms again.
    hydrate(app(32));
    const all = Object.values(useChatStore.getState().rooms).flatMap((r) => r.log);
    expect(all.filter((e) => e.kind === 'system' && e.text.includes('TTL'))).toEqual([]);
  });

  it('writes one line per change, however many snapshots carry it', () => {
    ingestCoreEvents([{ type: 'room', room: room({ ttl: 1 }) }]);
    upsertRoom(room({ ttl: 128 }));
    ingestCoreEvents([{ type: 'room', room: room({ ttl: 128 }) }, { type: 'room', room: room({ ttl: 128, status: 'reconnecting' }) }]);
    expect(systemTexts().filter((t) => t.startsWith('TTL changed'))).toEqual(['TTL changed to 128 (continent): new messages reach up to 127 routers away.']);
    upsertRoom(room({ ttl: 0 }));
    expect(systemTexts().filter((t) => t.startsWith('TTL changed')).at(-1)).toBe('TTL changed to 0 (host): new messages never leave this computer.');
  });
});
