import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../shared/events.js';
import { emptyCounters } from '../../shared/events.js';
import { FakeClock } from './clock.js';
import { createEventBatcher } from './event-batcher.js';

const message = (i: number): CoreEvent => ({
  type: 'message',
  message: { kind: 'raw', roomId: 'r', id: `m${i}`, text: 't', nick: null, peerId: null, src: '', ttl: null, seq: null, ts: 0, receivedAt: 0, own: false, fragments: 1, bytes: 1, order: String(i).padStart(8, '0') },
});

describe('event batcher', () => {
  it('turns a burst of 20,000 events into a few pushes, losing none', () => {
    const clock = new FakeClock();
    const pushes: CoreEvent[][] = [];
    const batcher = createEventBatcher({ waitMs: 16, maxSize: 5000, clock, flush: (b) => pushes.push(b) });
    for (let i = 0; i < 20_000; i++) batcher.add(message(i));
    clock.advance(16);
    expect(pushes.length).toBe(4);
    expect(pushes.flat()).toHaveLength(20_000);
  });

  it('pushes a lone event after a quiet spell at once, and one that follows a push a frame after it', () => {
    const clock = new FakeClock();
    const pushes: CoreEvent[][] = [];
    const batcher = createEventBatcher({ waitMs: 16, maxSize: 100, clock, flush: (b) => pushes.push(b) });
    batcher.add(message(1));
    expect(pushes).toHaveLength(0); // not inside the datagram handler: at the next turn
    clock.advance(0);
    expect(pushes).toHaveLength(1);
    clock.advance(4);
    batcher.add(message(2));
    batcher.add(message(3));
    clock.advance(11);
    expect(pushes).toHaveLength(1);
    clock.advance(1);
    expect(pushes.map((p) => p.length)).toEqual([1, 2]);
  });

  it('keeps only the latest counters of a room within a batch', () => {
    const clock = new FakeClock();
    const pushes: CoreEvent[][] = [];
    const batcher = createEventBatcher({ waitMs: 16, maxSize: 100, clock, flush: (b) => pushes.push(b) });
    for (let i = 1; i <= 3; i++) batcher.add({ type: 'counters', roomId: 'r', counters: { ...emptyCounters(), datagramsIn: i } });
    batcher.add(message(1));
    clock.advance(16);
    expect(pushes[0]).toHaveLength(2);
    expect(pushes[0]?.[0]).toMatchObject({ type: 'counters', counters: { datagramsIn: 3 } });
  });

  it('holds events while paused and delivers them when resumed', () => {
    const clock = new FakeClock();
    const pushes: CoreEvent[][] = [];
    const batcher = createEventBatcher({ waitMs: 16, maxSize: 10, clock, flush: (b) => pushes.push(b) });
    batcher.setPaused(true);
    for (let i = 0; i < 25; i++) batcher.add(message(i));
    clock.advance(100);
    expect(pushes).toHaveLength(0);
    batcher.setPaused(false);
    expect(pushes.flat()).toHaveLength(25);
    expect(pushes.map((p) => p.length)).toEqual([10, 10, 5]);
  });
});

describe('event batcher while nobody listens', () => {
  it('keeps at most about maxQueuedBytes while paused, dropping the oldest', () => {
    const clock = new FakeClock();
    const pushes: CoreEvent[][] = [];
    let dropped = 0;
    const batcher = createEventBatcher({ waitMs: 16, maxSize: 1000, maxQueuedBytes: 1_000_000, clock, flush: (b) => pushes.push(b), onOverflow: (n) => (dropped += n) });
    batcher.setPaused(true);
    const big = (i: number): CoreEvent => ({ type: 'message', message: { kind: 'raw', roomId: 'r', id: `m${i}`, text: 'x'.repeat(4_096), nick: null, peerId: null, src: '198.18.1.66:1', ttl: null, seq: null, ts: i, receivedAt: i, own: false, fragments: 1, bytes: 4_096, order: String(i) } });
    for (let i = 0; i < 1_000; i++) batcher.add(big(i));
    batcher.setPaused(false);
    const held = pushes.flat();
    // About 8.7 KB each: at most a million bytes' worth (115) is held, the newest.
    expect(held.length).toBeLessThanOrEqual(116);
    expect(held.length).toBeGreaterThan(90);
    expect(dropped).toBe(1_000 - held.length);
    expect(held.at(-1)).toMatchObject({ message: { id: 'm999' } });
  });

  it('keeps at most maxQueued events, dropping the oldest', () => {
    const clock = new FakeClock();
    const pushes: CoreEvent[][] = [];
    let dropped = 0;
    const batcher = createEventBatcher({ waitMs: 16, maxSize: 1000, maxQueued: 100, clock, flush: (b) => pushes.push(b), onOverflow: (n) => (dropped += n) });
    batcher.setPaused(true);
    for (let i = 0; i < 150; i++) batcher.add(message(i));
    batcher.setPaused(false);
    const ids = pushes.flat().map((e) => (e.type === 'message' ? e.message.id : ''));
    expect(ids.length).toBeLessThanOrEqual(100);
    expect(ids.length).toBeGreaterThanOrEqual(90);
    expect(ids.at(-1)).toBe('m149');
    expect(dropped + ids.length).toBe(150);
  });
});
