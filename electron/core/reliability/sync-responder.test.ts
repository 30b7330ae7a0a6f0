import { describe, expect, it } from 'vitest';
import { FakeClock, type Clock, type TimerHandle } from '../clock.js';
import { DEFAULT_SYNC_TIMING, SyncResponder } from './sync-responder.js';

/** A fake clock whose zero-delay timers wait for the next turn of the loop (`turn()`), as Node's do: I/O is read in between. */
class LoopClock implements Clock {
  readonly inner = new FakeClock();
  private readonly nextTurn: (() => void)[] = [];
  now(): number {
    return this.inner.now();
  }
  after(ms: number, fn: () => void): TimerHandle {
    if (ms > 0) return this.inner.after(ms, fn);
    let cancelled = false;
    this.nextTurn.push(() => {
      if (!cancelled) fn();
    });
    return { cancel: () => (cancelled = true) };
  }
  every(ms: number, fn: () => void): TimerHandle {
    return this.inner.every(ms, fn);
  }
  turn(): void {
    for (const fn of this.nextTurn.splice(0)) fn();
  }
}

describe('SyncResponder', () => {
  it("stands down when another peer's answer was waiting in the socket as its timer fired (a process that got the CPU late)", () => {
    const clock = new LoopClock();
    const answers: string[] = [];
    const responder = new SyncResponder(clock, (rid) => answers.push(rid), DEFAULT_SYNC_TIMING, () => 0.5);
    responder.requested('r1', 100);
    clock.inner.advance(DEFAULT_SYNC_TIMING.maxDelayMs); // the timer fires...
    responder.answeredByOther('r1'); // ...the socket is read in the same turn: someone answered
    clock.turn();
    expect(answers).toEqual([]);
    expect(responder.suppressed).toBe(1);
  });

  it('answers one turn after its timer when nobody else did, with the largest request it holds', () => {
    const clock = new LoopClock();
    const answers: [string, number][] = [];
    const responder = new SyncResponder(clock, (rid, max) => answers.push([rid, max]), DEFAULT_SYNC_TIMING, () => 0.5);
    responder.requested('r1', 100);
    responder.requested('r2', 300);
    clock.inner.advance(DEFAULT_SYNC_TIMING.maxDelayMs);
    expect(answers).toEqual([]);
    clock.turn();
    expect(answers).toEqual([['r1', 300]]);
    expect(responder.answered).toBe(1);
  });
});
