import { describe, expect, it } from 'vitest';
import type { ReachResult } from '../../shared/events.js';
import { peer } from '../test-helpers.js';
import { probeProgress, reachComparison, reachLabel, reachLines, reachNames, reachSummary } from './reach-view.js';

const IDS: Record<string, string> = { bob: 'b0b0000000000001', carol: 'ca10000000000002', dave: 'da7e000000000003', erin: 'e000000000000004' };
const at = (ttl: number, ...nicks: string[]): ReachResult => ({ ttl, peers: nicks.map((nick) => ({ peerId: IDS[nick] ?? '', nick, src: '10.0.0.1:4242' })) });

describe('the reach probe, in words', () => {
  it("labels a TTL with the lecture's scope name and, where someone answered, the routers in between", () => {
    expect(reachLabel(1, true)).toBe('TTL 1 (subnet)');
    expect(reachLabel(2, true)).toBe('TTL 2 — 1 router away');
    expect(reachLabel(5, true)).toBe('TTL 5 — 4 routers away');
    expect(reachLabel(32, true)).toBe('TTL 32 (site) — 31 routers away');
    expect(reachLabel(3, false)).toBe('TTL 3');
  });

  it('keeps a TTL where nobody new answered on a line of its own, and makes a run of them one line', () => {
    const rows = [at(1, 'bob'), at(2), at(3, 'dave'), at(4), at(5), at(6)];
    const lines = reachLines(rows, reachNames(rows, {}, 'me'));
    expect(lines.map((l) => [l.label, l.peers.map((p) => p.name)])).toEqual([
      ['TTL 1 (subnet)', ['bob #b0b00000']],
      ['TTL 2', []],
      ['TTL 3 — 2 routers away', ['dave #da7e0000']],
      ['TTL 4–6', []],
    ]);
  });

  it('names a peer as the peer list does, and adds the id for strangers, for a shared name and for ourselves', () => {
    const rows: ReachResult[] = [
      {
        ttl: 1,
        peers: [
          { peerId: 'aaaa111122223333', nick: 'alice', src: '10.0.0.2:4242' },
          { peerId: 'bbbb111122223333', nick: 'bob', src: '10.0.0.3:4242' },
          { peerId: 'cccc111122223333', nick: 'bob', src: '10.0.0.4:4242' },
          { peerId: 'dddd111122223333', nick: 'me', src: '10.0.0.5:4242' },
        ],
      },
    ];
    const known = { aaaa111122223333: peer({ peerId: 'aaaa111122223333', nick: 'alice' }), bbbb111122223333: peer({ peerId: 'bbbb111122223333', nick: 'bob' }) };
    expect([...reachNames(rows, known, 'dddd111122223333').values()]).toEqual(['alice', 'bob #bbbb1111', 'bob #cccc1111', 'me (you)']);
  });

  it("compares the room's TTL with the answers, and says what would reach everyone", () => {
    const rows = [at(1, 'bob', 'carol'), at(2), at(3, 'dave')];
    expect(reachComparison(rows, 1)).toBe("The room's TTL 1 reaches 2 of 3 peers that answered; TTL 3 would reach them all.");
    expect(reachComparison(rows, 2)).toBe("The room's TTL 2 reaches 2 of 3 peers that answered; TTL 3 would reach them all.");
    expect(reachComparison(rows, 3)).toBe("The room's TTL 3 reaches all 3 peers that answered.");
    expect(reachComparison(rows, 0)).toBe("The room's TTL 0 reaches none of the 3 peers that answered: its messages never leave this computer.");
    expect(reachComparison([at(2, 'dave')], 1)).toBe("The room's TTL 1 reaches 0 of 1 peer that answered; TTL 2 would reach them all.");
    expect(reachComparison([at(1, 'bob')], 255)).toBe("The room's TTL 255 reaches the one peer that answered.");
    expect(reachComparison([at(1), at(2)], 1)).toBeNull();
  });

  it('sums up like mcchat probe', () => {
    expect(reachSummary([at(1, 'bob'), at(2)])).toBe('1 peer answered; the farthest is on this subnet (first reached at TTL 1).');
    expect(reachSummary([at(1, 'bob'), at(2), at(3, 'dave', 'erin')])).toBe('3 peers answered; the farthest is 2 routers away (first reached at TTL 3).');
    expect(reachSummary([at(1)])).toMatch(/^Nobody answered up to TTL 1: /);
  });

  it("tells where a running probe is from the core's pace: a TTL every 200 ms, then the last answers", () => {
    expect(probeProgress(0, 8)).toBe('Probing TTL 1 of 8…');
    expect(probeProgress(199, 8)).toBe('Probing TTL 1 of 8…');
    expect(probeProgress(450, 8)).toBe('Probing TTL 3 of 8…');
    expect(probeProgress(1_599, 8)).toBe('Probing TTL 8 of 8…');
    expect(probeProgress(1_600, 8)).toBe('Waiting for the last answers…');
    expect(probeProgress(-5, 2)).toBe('Probing TTL 1 of 2…');
  });
});
