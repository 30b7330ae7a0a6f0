import { describe, expect, it } from 'vitest';
import type { ReachResult } from '../../shared/events.js';
import { probingLine, reachJson, reachLines } from './probe-output.js';

const bob = { peerId: 'bbbbbbbbbbbbbbbb', nick: 'bob', src: '10.0.0.2:4242' };
const carol = { peerId: 'cccccccccccccccc', nick: 'carol', src: '10.0.0.3:4242' };
const dave = { peerId: 'dddddddddddddddd', nick: 'dave\u202e\x1b[2J', src: '10.0.1.2:4242' };

const rows: ReachResult[] = [
  { ttl: 1, peers: [bob, carol] },
  { ttl: 2, peers: [dave] },
  { ttl: 3, peers: [] },
];

describe('probe output', () => {
  it('prints one line per TTL, the scope named where the lecture has a name, and a summary', () => {
    const lines = reachLines(rows);
    expect(lines).toEqual([
      'TTL 1 (subnet): bob 10.0.0.2:4242, carol 10.0.0.3:4242',
      'TTL 2: dave\\u202e\\x1b[2J 10.0.1.2:4242',
      'TTL 3: nobody new',
      '3 peers answered; the farthest is 1 router away (first reached at TTL 2).',
    ]);
  });

  it('says on this subnet, and why nobody may answer', () => {
    expect(reachLines([{ ttl: 1, peers: [bob] }]).at(-1)).toBe('1 peer answered; the farthest is on this subnet (first reached at TTL 1).');
    expect(reachLines([{ ttl: 1, peers: [] }, { ttl: 2, peers: [] }]).at(-1)).toMatch(/^Nobody answered up to TTL 2: .*passive listeners/);
  });

  it('names TTL 32 as site', () => {
    expect(reachLines([{ ttl: 32, peers: [] }])[0]).toBe('TTL 32 (site): nobody new');
  });

  it('writes one JSON object per TTL, escaped but parsing to the same nickname', () => {
    const line = reachJson(rows[1] as ReachResult);
    expect(line).not.toContain('\u202e');
    expect(line).not.toContain('\x1b');
    expect(JSON.parse(line)).toEqual({ ttl: 2, peers: [dave] });
    expect(JSON.parse(reachJson(rows[2] as ReachResult))).toEqual({ ttl: 3, peers: [] });
  });
});

describe('the probing line', () => {
  it('names the TTL range and how long it takes, not the room TTL', () => {
    const line = probingLine({ group: '239.255.42.99', port: 4242, interfaces: [{ name: 'lo', address: '127.0.0.1' }] }, 8);
    expect(line).toBe('mcchat: probing 239.255.42.99:4242 via lo 127.0.0.1 with TTL 1 to 8 (about 3 s); members answer, passive listeners and senders do not');
  });
});
