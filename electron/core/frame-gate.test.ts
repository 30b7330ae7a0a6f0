import { describe, expect, it } from 'vitest';
import { testPeer, testRoomKey } from '../../tests/helpers/signed-frames.js';
import { generateIdentity } from './crypto/identity.js';
import { ReplayGuard } from './crypto/replay-guard.js';
import type { RoomKey } from './crypto/room-key.js';
import { FrameGate } from './frame-gate.js';

function gate(key: RoomKey | null = null, now = () => Date.now()): FrameGate {
  return new FrameGate({ identity: generateIdentity(), replay: new ReplayGuard(), key, sess: '0011223344556677', startedAt: Date.now(), now });
}

describe('FrameGate', () => {
  it('lets a signed frame through once, and sees a later copy as a replay', () => {
    let t = Date.now();
    const g = gate(null, () => t);
    const hello = testPeer().frame({ t: 'hello', nick: 'ann', app: 'x', ivl: 5_000 });
    expect(g.incoming(hello)).toMatchObject({ kind: 'frame', seen: 'new', header: { t: 'hello', nick: 'ann' } });
    expect(g.incoming(hello)).toEqual({ kind: 'refused', by: 'duplicates' }); // a second interface, a moment later
    t += 60_000;
    expect(g.incoming(hello)).toEqual({ kind: 'refused', by: 'replayed' });
  });

  it('refuses a frame of ours larger than a datagram may be, but shows large raw text', () => {
    const g = gate();
    const big = testPeer().frame({ t: 'hello', nick: 'ann', app: 'x'.repeat(64), ivl: 5_000 });
    const padded = new Uint8Array(1_500);
    padded.set(big);
    expect(g.incoming(padded)).toEqual({ kind: 'refused', by: 'invalidFrames' });
    expect(g.incoming(new TextEncoder().encode('y'.repeat(1_500)))).toMatchObject({ kind: 'raw' });
  });

  it('opens what a peer with the same key sealed, and tells a wrong key from tampering', () => {
    const key = testRoomKey();
    const sealed = testPeer({ key }).chat({ nick: 'ann', seq: 0, ttl: 1, ts: 1 }, 'secret');
    expect(gate(key).incoming(sealed[0]!)).toMatchObject({ kind: 'frame', body: 'secret' });
    expect(gate(testRoomKey()).incoming(sealed[0]!)).toEqual({ kind: 'refused', by: 'wrongKey' });
    expect(gate(null).incoming(sealed[0]!)).toEqual({ kind: 'refused', by: 'encryptedNoKey' });
    const flipped = Uint8Array.from(sealed[0]!);
    flipped[flipped.length - 88]! ^= 0x80; // the GCM tag's last byte, just before the signature line
    expect(gate(key).incoming(flipped)).toEqual({ kind: 'refused', by: 'decryptFailed' });
  });

  it('puts out datagrams that fit 1,200 bytes, signed or sealed, for the longest text', () => {
    const text = 'ü'.repeat(4_096); // 8 KiB of UTF-8
    for (const key of [null, testRoomKey()]) {
      const datagrams = gate(key).chat({ peer: 'ffffffffffffffff', nick: 'n'.repeat(32), sess: '0011223344556677', seq: 1, ttl: 255, ts: Date.now(), hc: 9 }, text);
      expect(Math.max(...datagrams.map((d) => d.length))).toBeLessThanOrEqual(1_200);
      expect(datagrams.length).toBeLessThanOrEqual(16);
    }
  });
});
