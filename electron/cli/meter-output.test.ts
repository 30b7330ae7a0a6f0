import { describe, expect, it } from 'vitest';
import { emptyCounters, type PeerMeter } from '../../shared/events.js';
import { peerStats, peerTableLines, statsJson } from './meter-output.js';

const meter = (peerId: string, received: number, extra: Partial<PeerMeter> = {}): PeerMeter => ({ peerId, received, gaps: 0, repaired: 0, lost: 0, duplicates: 0, reordered: 0, late: 0, ...extra });

describe('listen --stats per peer', () => {
  const nicks = new Map([
    ['aaaaaaaaaaaaaaaa', 'alice'],
    ['bbbbbbbbbbbbbbbb', 'eve\x1b]0;owned\x07'],
  ]);
  const peers = peerStats([meter('bbbbbbbbbbbbbbbb', 3), meter('aaaaaaaaaaaaaaaa', 100, { gaps: 21, repaired: 21, duplicates: 4, late: 1 }), meter('cccccccccccccccc', 0, { duplicates: 2 })], (id) => nicks.get(id) ?? null);

  it('keeps the mcjoin columns with a nickname, busiest peer first', () => {
    expect(peers.map((p) => p.nick)).toEqual(['alice', 'eve\x1b]0;owned\x07', null]);
    expect(peers[0]).toEqual({ peerId: 'aaaaaaaaaaaaaaaa', nick: 'alice', received: 100, gaps: 21, repaired: 21, lost: 0, duplicates: 4, reordered: 0 });
  });

  it('writes one --json line with the peers and every counter, parseable to the same nicknames', () => {
    const counters = { ...emptyCounters(), chatMessagesIn: 103 };
    const line = statsJson(peers, counters);
    expect(line).not.toContain('\x1b');
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ kind: 'stats', peers, counters });
  });

  it('prints a table with escaped nicknames and aligned numbers', () => {
    const lines = peerTableLines(peers);
    expect(lines[0]).toBe('peers:');
    expect(lines[1]).toMatch(/^ {2}peer +received {2}gaps {2}repaired {2}lost {2}duplicates {2}reordered$/);
    expect(lines[2]).toMatch(/^ {2}alice \[aaaaaaaaaaaaaaaa\] +100 +21 +21 +0 +4 +0$/);
    expect(lines[3]).toContain('eve\\x1b]0;owned\\x07 [bbbbbbbbbbbbbbbb]');
    expect(lines[4]).toContain('? [cccccccccccccccc]');
    // Every row as long as the heading: the columns line up.
    expect(new Set(lines.slice(1).map((l) => l.length)).size).toBe(1);
  });

  it('says so when nobody was heard', () => {
    expect(peerTableLines([])).toEqual(['peers: none heard']);
  });
});
