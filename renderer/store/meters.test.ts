import { describe, expect, it } from 'vitest';
import type { PeerMeter } from '../../shared/events.js';
import { peer, room } from '../test-helpers.js';
import { setShowDuplicates } from './actions.js';
import { duplicatesText } from './duplicate-lines.js';
import { ingestCoreEvents } from './ingest.js';
import { useChatStore } from './store.js';

const meter = (peerId: string, m: Partial<PeerMeter> = {}): PeerMeter => ({ peerId, received: 0, gaps: 0, repaired: 0, lost: 0, duplicates: 0, reordered: 0, late: 0, ...m });
const ALICE = 'aaaa111122223333';
const BOB = 'bbbb111122223333';
const lines = () => (useChatStore.getState().rooms.r1?.log ?? []).flatMap((e) => (e.kind === 'system' && !e.text.startsWith('Joined') && !e.text.includes('joined') ? [e.text] : []));

function roomWithPeers() {
  ingestCoreEvents([
    { type: 'room', room: room() },
    { type: 'peer-joined', roomId: 'r1', peer: peer({ peerId: ALICE, nick: 'alice' }) },
    { type: 'peer-joined', roomId: 'r1', peer: peer({ peerId: BOB, nick: 'bob' }) },
  ]);
}

describe('per-peer meters', () => {
  it('keep the latest meter of each peer that changed', () => {
    roomWithPeers();
    ingestCoreEvents([{ type: 'meter', roomId: 'r1', peers: [meter(ALICE, { received: 3 }), meter(BOB, { received: 1 })] }]);
    ingestCoreEvents([{ type: 'meter', roomId: 'r1', peers: [meter(ALICE, { received: 5, gaps: 2, repaired: 2 })] }]);
    expect(useChatStore.getState().rooms.r1?.meters).toEqual({ [ALICE]: meter(ALICE, { received: 5, gaps: 2, repaired: 2 }), [BOB]: meter(BOB, { received: 1 }) });
  });
});

describe('the duplicates toggle', () => {
  it('off: duplicates are only counted; on: one short line per burst, from the meters', () => {
    roomWithPeers();
    ingestCoreEvents([{ type: 'meter', roomId: 'r1', peers: [meter(ALICE, { received: 3, duplicates: 4 })] }]);
    expect(lines()).toEqual([]);
    setShowDuplicates(true);
    ingestCoreEvents([{ type: 'meter', roomId: 'r1', peers: [meter(ALICE, { received: 4, duplicates: 7 })] }]);
    // Nothing new in a meter that changed for other reasons.
    ingestCoreEvents([{ type: 'meter', roomId: 'r1', peers: [meter(ALICE, { received: 5, duplicates: 7 })] }]);
    ingestCoreEvents([{ type: 'meter', roomId: 'r1', peers: [meter(ALICE, { duplicates: 8 }), meter(BOB, { duplicates: 2 }), meter('cccc111122223333', { duplicates: 1 })] }]);
    expect(lines()).toEqual([
      '3 duplicate datagrams from alice (already had them: dropped).',
      '4 duplicate datagrams (already had them: dropped): 2 from bob, 1 from alice, 1 from #cccc1111.',
    ]);
    setShowDuplicates(false);
    ingestCoreEvents([{ type: 'meter', roomId: 'r1', peers: [meter(ALICE, { duplicates: 100 })] }]);
    expect(lines()).toHaveLength(2);
  });

  it('names at most four senders in a line, whatever the storm', () => {
    const bursts = Array.from({ length: 50 }, (_, i) => ({ who: `p${i}`, count: 50 - i }));
    const text = duplicatesText(bursts) ?? '';
    expect(text).toBe('1,275 duplicate datagrams (already had them: dropped): 50 from p0, 49 from p1, 48 from p2, 47 from p3, 1,081 from 46 others.');
    expect(duplicatesText([])).toBeNull();
  });
});
