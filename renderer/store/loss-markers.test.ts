import { describe, expect, it } from 'vitest';
import type { GapReport } from '../../shared/events.js';
import { message, room } from '../test-helpers.js';
import { applyCoreEvents, ingestCoreEvents } from './ingest.js';
import { lossMarkerText, markerOrder, MAX_MARKERS_PER_ROOM } from './loss-markers.js';
import { useChatStore } from './store.js';
import { unreadCounts } from './test-state.js';

const CARLOS = 'cccc111122223333';
const key = (l: number, c = 0, peer = CARLOS): string => `${String(l).padStart(15, '0')}.${String(c).padStart(6, '0')}.${peer}`;
const BASE = Date.now() + 60_000;

function gap(overrides: Partial<GapReport> = {}): GapReport {
  return { id: 's1:0', peerId: CARLOS, nick: 'carlos', first: 5, last: 6, count: 2, repaired: 0, lost: 0, outOfScope: 0, nacks: 1, state: 'asking', order: key(BASE + 4), ...overrides };
}

const from = (text: string, l: number) => message({ peerId: CARLOS, nick: 'carlos', text, id: `c${l}`, order: key(l) });
const log = () => useChatStore.getState().rooms.r1?.log ?? [];
/** The log as text, after the "Joined" line: messages as their text, app lines starred. */
const texts = () => log().flatMap((e) => (e.kind === 'system' ? (e.text.startsWith('Joined') ? [] : [`* ${e.text}`]) : [e.text]));

describe('lossMarkerText', () => {
  it('says what is missing, and how the repair stands, in words', () => {
    expect(lossMarkerText(gap())).toBe('2 messages from carlos missing — asking (1 NACK)');
    expect(lossMarkerText(gap({ state: 'repaired', repaired: 2, nacks: 2 }))).toBe('2 messages from carlos missing — repaired after 2 NACKs');
    expect(lossMarkerText(gap({ state: 'lost', lost: 2, nacks: 12 }))).toBe('2 messages from carlos missing — lost after 12 NACKs');
    expect(lossMarkerText(gap({ state: 'partly', repaired: 1, lost: 1, nacks: 12 }))).toBe('2 messages from carlos missing — 1 repaired, 1 lost after 12 NACKs');
    expect(lossMarkerText(gap({ count: 1, first: 5, last: 5, state: 'asking', repaired: 0, nacks: 3 }))).toBe('1 message from carlos missing — asking (3 NACKs)');
    expect(lossMarkerText(gap({ state: 'asking', repaired: 1, nacks: 4 }))).toBe('2 messages from carlos missing — 1 repaired, asking for the rest (4 NACKs)');
    // The core calls a run closed without loss "repaired"; sent at a narrower TTL it was never ours.
    expect(lossMarkerText(gap({ state: 'outOfScope', outOfScope: 2, nacks: 2 }))).toBe('2 messages from carlos missing — not meant for us (sent with a narrower TTL) after 2 NACKs');
  });
});

describe('markerOrder', () => {
  it('sorts just before the revealing key and after every key below it', () => {
    const revealing = key(100, 0);
    const marker = markerOrder(revealing);
    expect(marker < revealing).toBe(true);
    for (const below of [key(99, 999_999), key(100, 0, 'cccc11112222332f'), key(99, 0, 'ffffffffffffffff'), `${key(99, 5)}~000000000001`]) expect(below < marker).toBe(true);
  });
});

describe('loss markers in the log', () => {
  it('go in just before the message that revealed them and are updated in place, not appended', () => {
    ingestCoreEvents([{ type: 'room', room: room() }]);
    ingestCoreEvents([{ type: 'message', message: from('carlos 4', BASE + 3) }]);
    ingestCoreEvents([{ type: 'message', message: from('carlos 7', BASE + 4) }, { type: 'loss', roomId: 'r1', gap: gap() }]);
    ingestCoreEvents([{ type: 'message', message: from('carlos 8', BASE + 5) }]);
    expect(texts()).toEqual(['carlos 4', '* 2 messages from carlos missing — asking (1 NACK)', 'carlos 7', 'carlos 8']);
    const before = log().find((e) => e.kind === 'system' && e.gap);

    // The repairs take their own places; the marker stays where it was and says so.
    ingestCoreEvents([
      { type: 'message', message: { ...from('carlos 5', BASE + 3), id: 'c5', order: key(BASE + 3, 1), via: 'repair' } },
      { type: 'message', message: { ...from('carlos 6', BASE + 3), id: 'c6', order: key(BASE + 3, 2), via: 'repair' } },
      { type: 'loss', roomId: 'r1', gap: gap({ nacks: 2 }) },
      { type: 'loss', roomId: 'r1', gap: gap({ state: 'repaired', repaired: 2, nacks: 2 }) },
    ]);
    expect(texts()).toEqual(['carlos 4', 'carlos 5', 'carlos 6', '* 2 messages from carlos missing — repaired after 2 NACKs', 'carlos 7', 'carlos 8']);
    const after = log().find((e) => e.kind === 'system' && e.gap);
    // The same row (same id and key), so the log keeps its place and its measured height.
    expect(after?.id).toBe(before?.id);
    expect(after?.order).toBe(before?.order);
    expect(after?.ts).toBe(before?.ts);
    expect(after?.kind === 'system' && after.tone).toBe('info');
  });

  it('a marker and its update in one batch make one row; one revealed by an announcement goes at the end', () => {
    ingestCoreEvents([{ type: 'room', room: room() }, { type: 'message', message: from('carlos 1', BASE) }]);
    ingestCoreEvents([
      { type: 'loss', roomId: 'r1', gap: gap({ id: 's1:1', order: '', first: 2, last: 2, count: 1 }) },
      { type: 'loss', roomId: 'r1', gap: gap({ id: 's1:1', order: '', first: 2, last: 2, count: 1, state: 'lost', lost: 1, nacks: 12 }) },
    ]);
    expect(texts()).toEqual(['carlos 1', '* 1 message from carlos missing — lost after 12 NACKs']);
    const marker = log().at(-1);
    expect(marker?.kind === 'system' && marker.tone).toBe('warning');
  });

  it('replace the old "could not be recovered" line: the marker says "lost" where the loss was', () => {
    ingestCoreEvents([{ type: 'room', room: room() }, { type: 'message', message: from('carlos 4', BASE + 3) }]);
    ingestCoreEvents([{ type: 'message', message: from('carlos 7', BASE + 4) }, { type: 'loss', roomId: 'r1', gap: gap() }]);
    ingestCoreEvents([
      { type: 'loss', roomId: 'r1', gap: gap({ state: 'lost', lost: 2, nacks: 12 }) },
      { type: 'gap', roomId: 'r1', peerId: CARLOS, nick: 'carlos', count: 2 },
    ]);
    expect(texts()).toEqual(['carlos 4', '* 2 messages from carlos missing — lost after 12 NACKs', 'carlos 7']);
    // Another sender without a marker (an older core, or its marker bounded away) still gets the line.
    ingestCoreEvents([{ type: 'gap', roomId: 'r1', peerId: 'dddd111122223333', nick: 'dora', count: 1 }]);
    expect(texts().at(-1)).toBe('* 1 message from dora could not be recovered.');
  });

  it(`keeps the newest ${MAX_MARKERS_PER_ROOM} markers of a room; the oldest leave the log`, () => {
    ingestCoreEvents([{ type: 'room', room: room() }]);
    const n = MAX_MARKERS_PER_ROOM + 20;
    const events = Array.from({ length: n }, (_, i) => [
      { type: 'message' as const, message: from(`m${i}`, BASE + 2 * i + 1) },
      { type: 'loss' as const, roomId: 'r1', gap: gap({ id: `s1:${i}`, first: 2 * i, last: 2 * i, count: 1, order: key(BASE + 2 * i + 1) }) },
    ]).flat();
    ingestCoreEvents(events.slice(0, 100));
    ingestCoreEvents(events.slice(100));
    const shown = log().filter((e) => e.kind === 'system' && e.gap);
    expect(shown).toHaveLength(MAX_MARKERS_PER_ROOM);
    expect(shown[0]?.id).toBe('loss:s1:20');
    expect(Object.keys(useChatStore.getState().rooms.r1?.markers ?? {})).toHaveLength(MAX_MARKERS_PER_ROOM);
    // News about a marker bounded away is news again: it goes back at its place, the oldest leaves.
    ingestCoreEvents([{ type: 'loss', roomId: 'r1', gap: gap({ id: 's1:0', first: 0, last: 0, count: 1, order: key(BASE + 1), state: 'repaired', repaired: 1 }) }]);
    const now = log().filter((e) => e.kind === 'system' && e.gap);
    expect(now).toHaveLength(MAX_MARKERS_PER_ROOM);
    expect(now.map((e) => e.id).slice(0, 2)).toEqual(['loss:s1:0', 'loss:s1:21']);
    expect(texts().slice(0, 3)).toEqual(['* 1 message from carlos missing — repaired after 1 NACK', 'm0', 'm1']);
  });

  it('are not unread messages, and go with their room', () => {
    ingestCoreEvents([{ type: 'room', room: room() }, { type: 'room', room: room({ roomId: 'r2', group: '239.255.0.2' }) }]);
    ingestCoreEvents([{ type: 'message', message: { ...from('in r2', BASE), roomId: 'r2' } }, { type: 'loss', roomId: 'r2', gap: gap({ order: key(BASE) }) }]);
    expect(unreadCounts()).toEqual({ r2: 1 });
    const state = useChatStore.getState();
    const changes = applyCoreEvents(state, [{ type: 'room', room: room({ roomId: 'r2', status: 'left' }) }]);
    expect(changes.rooms?.r2).toBeUndefined();
    expect(changes.rooms?.r1).toBe(state.rooms.r1);
  });
});
